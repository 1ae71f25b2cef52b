using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StoredReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "stored_reports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Period = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Figures = table.Column<string>(type: "TEXT", nullable: false),
                    Sha256 = table.Column<byte[]>(type: "BLOB", nullable: false),
                    GeneratedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stored_reports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_stored_reports_Period_Scope",
                table: "stored_reports",
                columns: new[] { "Period", "Scope" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stored_reports");
        }
    }
}
