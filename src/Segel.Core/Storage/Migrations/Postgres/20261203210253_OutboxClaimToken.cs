using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutboxClaimToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "outbox_mail",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "outbox_mail");
        }
    }
}
