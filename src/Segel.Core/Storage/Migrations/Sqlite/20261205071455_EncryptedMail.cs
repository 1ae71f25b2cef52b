using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EncryptedMail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "EncryptedBody",
                table: "outbox_mail",
                type: "BLOB",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EncryptedBody",
                table: "outbox_mail");
        }
    }
}
