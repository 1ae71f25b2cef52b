using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "certificates",
                type: "character varying(700)",
                maxLength: 700,
                nullable: false,
                defaultValue: "");

            // Trigram indexes (pg_trgm, shipped with PostgreSQL) answer the searches' LIKE '%word%' from an index. The
            // extension is trusted, so a database owner may create it; where the role may not (or the contrib files are
            // missing), the migration goes on without the indexes and searches read the table, as before.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    CREATE EXTENSION IF NOT EXISTS pg_trgm;
                EXCEPTION WHEN OTHERS THEN
                    RAISE NOTICE 'pg_trgm is not available (%): searches will read the tables', SQLERRM;
                END $$;
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                        CREATE INDEX IF NOT EXISTS "IX_certificates_SearchText_trgm" ON certificates USING gin ("SearchText" gin_trgm_ops);
                        CREATE INDEX IF NOT EXISTS "IX_employees_SearchText_trgm" ON employees USING gin ("SearchText" gin_trgm_ops);
                    END IF;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_certificates_SearchText_trgm";
                DROP INDEX IF EXISTS "IX_employees_SearchText_trgm";
                """);
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "certificates");
        }
    }
}
