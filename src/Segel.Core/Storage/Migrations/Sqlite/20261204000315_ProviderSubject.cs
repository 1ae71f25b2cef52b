using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProviderSubject : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProviderSubject",
                table: "users",
                type: "TEXT",
                maxLength: 600,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_users_ProviderSubject",
                table: "users",
                column: "ProviderSubject",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_users_ProviderSubject",
                table: "users");

            migrationBuilder.DropColumn(
                name: "ProviderSubject",
                table: "users");
        }
    }
}
