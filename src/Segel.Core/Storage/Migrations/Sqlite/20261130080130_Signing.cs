using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Signing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "CodeSealedPrivateKey",
                table: "holder_keys",
                type: "BLOB",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "one_time_codes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EmployeeId = table.Column<long>(type: "INTEGER", nullable: false),
                    CodeMac = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_one_time_codes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_one_time_codes_employees_EmployeeId",
                        column: x => x.EmployeeId,
                        principalTable: "employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "signatures",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EmployeeId = table.Column<long>(type: "INTEGER", nullable: false),
                    CertificateId = table.Column<long>(type: "INTEGER", nullable: false),
                    Application = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OriginalSha256 = table.Column<byte[]>(type: "BLOB", nullable: false),
                    SignedSha256 = table.Column<byte[]>(type: "BLOB", nullable: false),
                    SignedLength = table.Column<long>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Unlock = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DocumentName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signatures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_signatures_certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_signatures_employees_EmployeeId",
                        column: x => x.EmployeeId,
                        principalTable: "employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_one_time_codes_EmployeeId_CreatedAt",
                table: "one_time_codes",
                columns: new[] { "EmployeeId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_signatures_CertificateId",
                table: "signatures",
                column: "CertificateId");

            migrationBuilder.CreateIndex(
                name: "IX_signatures_EmployeeId_SignedAt",
                table: "signatures",
                columns: new[] { "EmployeeId", "SignedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_signatures_SignedAt",
                table: "signatures",
                column: "SignedAt");

            migrationBuilder.CreateIndex(
                name: "IX_signatures_SignedSha256",
                table: "signatures",
                column: "SignedSha256");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "one_time_codes");

            migrationBuilder.DropTable(
                name: "signatures");

            migrationBuilder.DropColumn(
                name: "CodeSealedPrivateKey",
                table: "holder_keys");
        }
    }
}
