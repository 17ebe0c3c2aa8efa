using Microsoft.EntityFrameworkCore.Migrations;

namespace Daxdi.Infrastructure.Persistence.Migrations.Sqlite;

/// <summary>
/// The triggers that keep the FTS5 index <c>ArticleSearch</c> in step with <c>Articles</c>. SQLite drops a table's
/// triggers with the table, so every migration that rebuilds <c>Articles</c> creates them again (and keeps each row's
/// rowid, the key of the index, or rebuilds the index).
/// </summary>
internal static class ArticleSearchIndex
{
    public static void CreateTriggers(MigrationBuilder migrationBuilder)
    {
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
}
