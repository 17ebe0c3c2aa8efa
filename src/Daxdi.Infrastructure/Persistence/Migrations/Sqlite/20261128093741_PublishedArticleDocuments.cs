using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Daxdi.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublishedArticleDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PublishedArticleDocuments");
        }
    }
}
