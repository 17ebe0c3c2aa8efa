using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Daxdi.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ArticleReadLayout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite cannot reorder columns in place, so Articles is rebuilt in the order of
            // ArticleConfiguration.OrderColumns, as EF rebuilds tables but keeping each row's rowid: the search index is
            // keyed by rowid and stays valid. The old table's indexes and triggers go with it and are created again.
            migrationBuilder.Sql("PRAGMA foreign_keys = 0;", suppressTransaction: true);
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Articles" (
                    "Id" TEXT NOT NULL CONSTRAINT "PK_Articles" PRIMARY KEY,
                    "SiteId" TEXT NOT NULL,
                    "Status" TEXT NOT NULL,
                    "DeletedAt" TEXT NULL,
                    "PublishedAt" TEXT NULL,
                    "CanonicalUrl" TEXT NULL,
                    "CreatedAt" TEXT NOT NULL,
                    "CreatedBy" TEXT NOT NULL,
                    "DeletedBy" TEXT NULL,
                    "Excerpt" TEXT NOT NULL,
                    "ExcerptGenerated" INTEGER NOT NULL,
                    "Language" TEXT NOT NULL,
                    "ReadingTimeMinutes" INTEGER NOT NULL,
                    "ScheduledAt" TEXT NULL,
                    "SectionId" TEXT NULL,
                    "Slug" TEXT NOT NULL,
                    "Subtitle" TEXT NULL,
                    "Title" TEXT NOT NULL,
                    "UpdatedAt" TEXT NOT NULL,
                    "UpdatedBy" TEXT NOT NULL,
                    "Version" INTEGER NOT NULL,
                    "WordCount" INTEGER NOT NULL,
                    "FeaturedImageAlt" TEXT NULL,
                    "FeaturedImageCaption" TEXT NULL,
                    "FeaturedImageCredit" TEXT NULL,
                    "FeaturedImageUrl" TEXT NULL,
                    "SeoMetaDescription" TEXT NULL,
                    "SeoMetaTitle" TEXT NULL,
                    "SeoSocialImage" TEXT NULL,
                    "SourceName" TEXT NULL,
                    "SourceUrl" TEXT NULL,
                    "BodyFormat" TEXT NOT NULL,
                    "Body" TEXT NOT NULL,
                    "MarkdownSource" TEXT NULL,
                    "SearchText" TEXT NOT NULL,
                    CONSTRAINT "FK_Articles_Sites_SiteId" FOREIGN KEY ("SiteId") REFERENCES "Sites" ("Id") ON DELETE CASCADE,
                    CONSTRAINT "FK_Articles_TaxonomyTerms_SectionId" FOREIGN KEY ("SectionId") REFERENCES "TaxonomyTerms" ("Id")
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ef_temp_Articles" (rowid, "Id", "SiteId", "Status", "DeletedAt", "PublishedAt", "CanonicalUrl", "CreatedAt", "CreatedBy", "DeletedBy", "Excerpt", "ExcerptGenerated", "Language", "ReadingTimeMinutes", "ScheduledAt", "SectionId", "Slug", "Subtitle", "Title", "UpdatedAt", "UpdatedBy", "Version", "WordCount", "FeaturedImageAlt", "FeaturedImageCaption", "FeaturedImageCredit", "FeaturedImageUrl", "SeoMetaDescription", "SeoMetaTitle", "SeoSocialImage", "SourceName", "SourceUrl", "BodyFormat", "Body", "MarkdownSource", "SearchText")
                SELECT rowid, "Id", "SiteId", "Status", "DeletedAt", "PublishedAt", "CanonicalUrl", "CreatedAt", "CreatedBy", "DeletedBy", "Excerpt", "ExcerptGenerated", "Language", "ReadingTimeMinutes", "ScheduledAt", "SectionId", "Slug", "Subtitle", "Title", "UpdatedAt", "UpdatedBy", "Version", "WordCount", "FeaturedImageAlt", "FeaturedImageCaption", "FeaturedImageCredit", "FeaturedImageUrl", "SeoMetaDescription", "SeoMetaTitle", "SeoSocialImage", "SourceName", "SourceUrl", "BodyFormat", "Body", "MarkdownSource", "SearchText" FROM "Articles";
                """);
            migrationBuilder.Sql("""DROP TABLE "Articles";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_Articles" RENAME TO "Articles";""");
            migrationBuilder.CreateIndex(name: "IX_Articles_SectionId", table: "Articles", column: "SectionId");
            migrationBuilder.CreateIndex(name: "IX_Articles_SiteId_Slug", table: "Articles", columns: new[] { "SiteId", "Slug" }, unique: true);
            migrationBuilder.CreateIndex(name: "IX_Articles_Status_ScheduledAt", table: "Articles", columns: new[] { "Status", "ScheduledAt" });
            migrationBuilder.CreateIndex(
                name: "IX_Articles_SiteId_Status_DeletedAt_PublishedAt_Id",
                table: "Articles",
                columns: new[] { "SiteId", "Status", "DeletedAt", "PublishedAt", "Id" });
            ArticleSearchIndex.CreateTriggers(migrationBuilder);
            migrationBuilder.Sql("PRAGMA foreign_keys = 1;", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Articles_SiteId_Status_DeletedAt_PublishedAt_Id",
                table: "Articles");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_SiteId_Status_PublishedAt_Id",
                table: "Articles",
                columns: new[] { "SiteId", "Status", "PublishedAt", "Id" });
        }
    }
}
