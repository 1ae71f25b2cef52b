using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyRecoveryRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Escrow",
                table: "holder_keys",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RecoveryKeyId",
                table: "holder_keys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EncryptionKeyId",
                table: "enrollments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PairedCertificateId",
                table: "certificates",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "key_recovery_requests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EmployeeId = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Statement = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_recovery_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_key_recovery_requests_employees_EmployeeId",
                        column: x => x.EmployeeId,
                        principalTable: "employees",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "key_recovery_approvals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<long>(type: "INTEGER", nullable: false),
                    ShareId = table.Column<long>(type: "INTEGER", nullable: false),
                    OfficerEmployeeId = table.Column<long>(type: "INTEGER", nullable: false),
                    OfficerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SealedShare = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_recovery_approvals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_key_recovery_approvals_key_recovery_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "key_recovery_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_key_recovery_approvals_recovery_shares_ShareId",
                        column: x => x.ShareId,
                        principalTable: "recovery_shares",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_holder_keys_RecoveryKeyId",
                table: "holder_keys",
                column: "RecoveryKeyId");

            migrationBuilder.CreateIndex(
                name: "IX_certificates_PairedCertificateId",
                table: "certificates",
                column: "PairedCertificateId");

            migrationBuilder.CreateIndex(
                name: "IX_key_recovery_approvals_RequestId_ShareId",
                table: "key_recovery_approvals",
                columns: new[] { "RequestId", "ShareId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_key_recovery_approvals_ShareId",
                table: "key_recovery_approvals",
                column: "ShareId");

            migrationBuilder.CreateIndex(
                name: "IX_key_recovery_requests_EmployeeId_State",
                table: "key_recovery_requests",
                columns: new[] { "EmployeeId", "State" });

            migrationBuilder.AddForeignKey(
                name: "FK_holder_keys_recovery_keys_RecoveryKeyId",
                table: "holder_keys",
                column: "RecoveryKeyId",
                principalTable: "recovery_keys",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // One open (pending or approved) key-recovery request per holder, whichever node takes it.
            migrationBuilder.Sql("CREATE UNIQUE INDEX \"IX_key_recovery_requests_open\" ON key_recovery_requests (\"EmployeeId\") WHERE \"State\" < 2;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_key_recovery_requests_open\";");

            migrationBuilder.DropForeignKey(
                name: "FK_holder_keys_recovery_keys_RecoveryKeyId",
                table: "holder_keys");

            migrationBuilder.DropTable(
                name: "key_recovery_approvals");

            migrationBuilder.DropTable(
                name: "key_recovery_requests");

            migrationBuilder.DropIndex(
                name: "IX_holder_keys_RecoveryKeyId",
                table: "holder_keys");

            migrationBuilder.DropIndex(
                name: "IX_certificates_PairedCertificateId",
                table: "certificates");

            migrationBuilder.DropColumn(
                name: "Escrow",
                table: "holder_keys");

            migrationBuilder.DropColumn(
                name: "RecoveryKeyId",
                table: "holder_keys");

            migrationBuilder.DropColumn(
                name: "EncryptionKeyId",
                table: "enrollments");

            migrationBuilder.DropColumn(
                name: "PairedCertificateId",
                table: "certificates");
        }
    }
}
