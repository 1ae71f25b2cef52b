using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segel.Core.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 700,
                nullable: false,
                defaultValue: "");

            // A trigram index over the search text (FTS5 with external content: it stores the trigrams, the table the
            // text), kept in step by triggers, so certificate search reads an index instead of a million rows. A later
            // migration that rebuilds the certificates table drops these triggers: SearchIndexTests fails if they are gone.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE certificates_search USING fts5("SearchText", content='certificates', content_rowid='Id', tokenize='trigram', detail='none');
                INSERT INTO certificates_search(certificates_search) VALUES ('rebuild');
                CREATE TRIGGER certificates_search_insert AFTER INSERT ON certificates BEGIN
                    INSERT INTO certificates_search(rowid, "SearchText") VALUES (new."Id", new."SearchText");
                END;
                CREATE TRIGGER certificates_search_delete AFTER DELETE ON certificates BEGIN
                    INSERT INTO certificates_search(certificates_search, rowid, "SearchText") VALUES ('delete', old."Id", old."SearchText");
                END;
                CREATE TRIGGER certificates_search_update AFTER UPDATE OF "SearchText" ON certificates BEGIN
                    INSERT INTO certificates_search(certificates_search, rowid, "SearchText") VALUES ('delete', old."Id", old."SearchText");
                    INSERT INTO certificates_search(rowid, "SearchText") VALUES (new."Id", new."SearchText");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER certificates_search_update;
                DROP TRIGGER certificates_search_delete;
                DROP TRIGGER certificates_search_insert;
                DROP TABLE certificates_search;
                """);
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "certificates");
        }
    }
}
