using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_audit_records_Actor",
                table: "audit_records",
                column: "Actor");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_At",
                table: "audit_records",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_RequestId",
                table: "audit_records",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_Subject",
                table: "audit_records",
                column: "Subject");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_records_Actor",
                table: "audit_records");

            migrationBuilder.DropIndex(
                name: "IX_audit_records_At",
                table: "audit_records");

            migrationBuilder.DropIndex(
                name: "IX_audit_records_RequestId",
                table: "audit_records");

            migrationBuilder.DropIndex(
                name: "IX_audit_records_Subject",
                table: "audit_records");
        }
    }
}
