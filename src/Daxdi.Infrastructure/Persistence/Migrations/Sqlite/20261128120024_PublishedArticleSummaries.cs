using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Daxdi.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Documents get their list item (<c>Summary</c>). Documents are derived data: the existing ones are deleted, and
    /// the background renderer renders them all again after start-up (reads render per request meanwhile).
    /// </summary>
    public partial class PublishedArticleSummaries : Migration
    {
        /// <inheritdoc />
        /// <remarks>
        /// SQLite appends an added column, after the long document, and reading it would then read the document's
        /// overflow pages too; so the table is created again with the list item before the document.
        /// </remarks>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "PublishedArticleDocuments");
            migrationBuilder.CreateTable(
                name: "PublishedArticleDocuments",
                columns: table => new
                {
                    ArticleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SiteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    ETag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Summary = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Json = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublishedArticleDocuments", x => x.ArticleId);
                    table.ForeignKey(
                        name: "FK_PublishedArticleDocuments_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PublishedArticleDocuments_SiteId_Slug",
                table: "PublishedArticleDocuments",
                columns: new[] { "SiteId", "Slug" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "PublishedArticleDocuments");
            migrationBuilder.CreateTable(
                name: "PublishedArticleDocuments",
                columns: table => new
                {
                    ArticleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SiteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Json = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ETag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublishedArticleDocuments", x => x.ArticleId);
                    table.ForeignKey(
                        name: "FK_PublishedArticleDocuments_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PublishedArticleDocuments_SiteId_Slug",
                table: "PublishedArticleDocuments",
                columns: new[] { "SiteId", "Slug" },
                unique: true);
        }
    }
}
