using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Daxdi.Infrastructure.Persistence.Migrations.PostgreSql
{
    /// <summary>
    /// Documents get their list item (<c>Summary</c>). Documents are derived data: the existing ones are deleted, and
    /// the background renderer renders them all again after start-up (reads render per request meanwhile).
    /// </summary>
    public partial class PublishedArticleSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DELETE FROM "PublishedArticleDocuments";""");
            migrationBuilder.AddColumn<byte[]>(
                name: "Summary",
                table: "PublishedArticleDocuments",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Summary",
                table: "PublishedArticleDocuments");
        }
    }
}
