using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Segel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeyRecovery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "recovery_keys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Seal = table.Column<byte[]>(type: "bytea", nullable: true),
                    CertificateDer = table.Column<byte[]>(type: "bytea", nullable: false),
                    EncryptedPrivateKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    Threshold = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recovery_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "recovery_shares",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Seal = table.Column<byte[]>(type: "bytea", nullable: true),
                    RecoveryKeyId = table.Column<long>(type: "bigint", nullable: false),
                    EmployeeId = table.Column<long>(type: "bigint", nullable: false),
                    CertificateId = table.Column<long>(type: "bigint", nullable: false),
                    Point = table.Column<int>(type: "integer", nullable: false),
                    Envelope = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recovery_shares", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recovery_shares_certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_recovery_shares_employees_EmployeeId",
                        column: x => x.EmployeeId,
                        principalTable: "employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_recovery_shares_recovery_keys_RecoveryKeyId",
                        column: x => x.RecoveryKeyId,
                        principalTable: "recovery_keys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_recovery_shares_CertificateId",
                table: "recovery_shares",
                column: "CertificateId");

            migrationBuilder.CreateIndex(
                name: "IX_recovery_shares_EmployeeId",
                table: "recovery_shares",
                column: "EmployeeId");

            migrationBuilder.CreateIndex(
                name: "IX_recovery_shares_RecoveryKeyId_Point",
                table: "recovery_shares",
                columns: new[] { "RecoveryKeyId", "Point" },
                unique: true);

            // One current recovery key: two set-ups at once (two administrators, two nodes) cannot both leave theirs current.
            migrationBuilder.Sql("CREATE UNIQUE INDEX \"IX_recovery_keys_current\" ON recovery_keys ((\"RetiredAt\" IS NULL)) WHERE \"RetiredAt\" IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_recovery_keys_current\";");

            migrationBuilder.DropTable(
                name: "recovery_shares");

            migrationBuilder.DropTable(
                name: "recovery_keys");
        }
    }
}
