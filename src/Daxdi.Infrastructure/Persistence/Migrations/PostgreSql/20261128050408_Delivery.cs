using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Daxdi.Infrastructure.Persistence.Migrations.PostgreSql
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
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_SiteId_Status_PublishedAt_Id",
                table: "Articles",
                columns: new[] { "SiteId", "Status", "PublishedAt", "Id" });

            // Full-text search: a stored tsvector (title A, excerpt B, text C) that PostgreSQL recomputes on every
            // write, with a GIN index. The text is capped so a 2 MiB body stays under the tsvector size limit.
            migrationBuilder.Sql("""
                ALTER TABLE "Articles" ADD "SearchVector" tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english'::regconfig, coalesce("Title", '')), 'A') ||
                    setweight(to_tsvector('english'::regconfig, coalesce("Excerpt", '')), 'B') ||
                    setweight(to_tsvector('english'::regconfig, left(coalesce("SearchText", ''), 200000)), 'C')
                ) STORED;
                """);
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_SearchVector" ON "Articles" USING GIN ("SearchVector");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Articles_SearchVector";""");
            migrationBuilder.Sql("""ALTER TABLE "Articles" DROP COLUMN "SearchVector";""");

            migrationBuilder.DropIndex(
                name: "IX_Articles_SiteId_Status_PublishedAt_Id",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Articles");
        }
    }
}
