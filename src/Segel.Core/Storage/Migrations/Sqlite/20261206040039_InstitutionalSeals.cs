using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InstitutionalSeals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "EmployeeId",
                table: "signatures",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "SealId",
                table: "signatures",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Networks",
                table: "api_tokens",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SealId",
                table: "api_tokens",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "institutional_seals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Seal = table.Column<byte[]>(type: "BLOB", nullable: true),
                    AgencyId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    AppliedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AppliedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Algorithm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PublicKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    SealedPrivateKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CertificateId = table.Column<long>(type: "INTEGER", nullable: true),
                    KeyDestroyedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_institutional_seals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_institutional_seals_agencies_AgencyId",
                        column: x => x.AgencyId,
                        principalTable: "agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_institutional_seals_certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_signatures_SealId_SignedAt",
                table: "signatures",
                columns: new[] { "SealId", "SignedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_api_tokens_SealId",
                table: "api_tokens",
                column: "SealId");

            migrationBuilder.CreateIndex(
                name: "IX_institutional_seals_AgencyId",
                table: "institutional_seals",
                column: "AgencyId");

            migrationBuilder.CreateIndex(
                name: "IX_institutional_seals_CertificateId",
                table: "institutional_seals",
                column: "CertificateId");

            migrationBuilder.AddForeignKey(
                name: "FK_api_tokens_institutional_seals_SealId",
                table: "api_tokens",
                column: "SealId",
                principalTable: "institutional_seals",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_signatures_institutional_seals_SealId",
                table: "signatures",
                column: "SealId",
                principalTable: "institutional_seals",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // One open application per seal name and agency, whichever node takes it (an approved seal of that name may be renewed by applying again).
            migrationBuilder.Sql("CREATE UNIQUE INDEX \"IX_institutional_seals_open_name\" ON institutional_seals (\"AgencyId\", \"Name\") WHERE \"State\" = 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_institutional_seals_open_name\";");

            migrationBuilder.DropForeignKey(
                name: "FK_api_tokens_institutional_seals_SealId",
                table: "api_tokens");

            migrationBuilder.DropForeignKey(
                name: "FK_signatures_institutional_seals_SealId",
                table: "signatures");

            migrationBuilder.DropTable(
                name: "institutional_seals");

            migrationBuilder.DropIndex(
                name: "IX_signatures_SealId_SignedAt",
                table: "signatures");

            migrationBuilder.DropIndex(
                name: "IX_api_tokens_SealId",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "SealId",
                table: "signatures");

            migrationBuilder.DropColumn(
                name: "Networks",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "SealId",
                table: "api_tokens");

            migrationBuilder.AlterColumn<long>(
                name: "EmployeeId",
                table: "signatures",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
