using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Daxdi.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Delivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "Articles",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_SiteId_Status_PublishedAt_Id",
                table: "Articles",
                columns: new[] { "SiteId", "Status", "PublishedAt", "Id" });

            // Full-text search: an FTS5 index over Articles (external content, keyed by rowid), kept in step by
            // triggers. Queries join back to Articles and keep only published, undeleted rows. A later migration
            // that rebuilds the Articles table must run: INSERT INTO "ArticleSearch"("ArticleSearch") VALUES ('rebuild');
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ArticleSearch" USING fts5(
                    "Title", "Excerpt", "SearchText",
                    content='Articles', content_rowid='rowid',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""INSERT INTO "ArticleSearch"("ArticleSearch") VALUES ('rebuild');""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_search_insert" AFTER INSERT ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"(rowid, "Title", "Excerpt", "SearchText")
                    VALUES (new.rowid, new."Title", new."Excerpt", new."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_search_delete" AFTER DELETE ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Title", "Excerpt", "SearchText")
                    VALUES ('delete', old.rowid, old."Title", old."Excerpt", old."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Articles_search_update" AFTER UPDATE OF "Title", "Excerpt", "SearchText" ON "Articles" BEGIN
                    INSERT INTO "ArticleSearch"("ArticleSearch", rowid, "Title", "Excerpt", "SearchText")
                    VALUES ('delete', old.rowid, old."Title", old."Excerpt", old."SearchText");
                    INSERT INTO "ArticleSearch"(rowid, "Title", "Excerpt", "SearchText")
                    VALUES (new.rowid, new."Title", new."Excerpt", new."SearchText");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Articles_search_update";""");
            migrationBuilder.Sql("""DROP TRIGGER "Articles_search_delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "Articles_search_insert";""");
            migrationBuilder.Sql("""DROP TABLE "ArticleSearch";""");

            migrationBuilder.DropIndex(
                name: "IX_Articles_SiteId_Status_PublishedAt_Id",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Articles");
        }
    }
}
