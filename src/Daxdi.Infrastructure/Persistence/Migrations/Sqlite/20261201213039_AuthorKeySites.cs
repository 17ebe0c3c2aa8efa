using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Daxdi.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuthorKeySites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AuthorId",
                table: "ApiKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SiteId",
                table: "ApiKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.Sql(AuthorKeyBinding.Sql);

            migrationBuilder.DropColumn(
                name: "AuthorSlug",
                table: "ApiKeys");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AuthorId",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "SiteId",
                table: "ApiKeys");

            migrationBuilder.AddColumn<string>(
                name: "AuthorSlug",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 40,
                nullable: true);
        }
    }
}
