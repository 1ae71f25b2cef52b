using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MoreRowSeals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Seal",
                table: "work_units",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Seal",
                table: "signatures",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Seal",
                table: "revocation_requests",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Seal",
                table: "holder_keys",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Seal",
                table: "enrollments",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Seal",
                table: "decisions",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Seal",
                table: "agencies",
                type: "bytea",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Seal",
                table: "work_units");

            migrationBuilder.DropColumn(
                name: "Seal",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "Seal",
                table: "revocation_requests");

            migrationBuilder.DropColumn(
                name: "Seal",
                table: "holder_keys");

            migrationBuilder.DropColumn(
                name: "Seal",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "Seal",
                table: "decisions");

            migrationBuilder.DropColumn(
                name: "Seal",
                table: "agencies");
        }
    }
}
