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
            // that rebuilds the Articles table must keep the rowids and create the triggers again (ArticleSearchIndex).
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ArticleSearch" USING fts5(
                    "Title", "Excerpt", "SearchText",
                    content='Articles', content_rowid='rowid',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""INSERT INTO "ArticleSearch"("ArticleSearch") VALUES ('rebuild');""");
            ArticleSearchIndex.CreateTriggers(migrationBuilder);
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
