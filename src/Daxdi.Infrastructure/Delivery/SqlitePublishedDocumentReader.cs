using System.Data;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Microsoft.Data.Sqlite;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// Plain ADO.NET on a pooled connection of its own. Through EF, opening and closing the pooled connection cost more
/// than the query: EF's SQLite connection registers its SQL functions on every open. Around this one lookup that and
/// EF's query pipeline were about a sixth of an uncached read by slug (ADR 0007).
/// </summary>
internal sealed class SqlitePublishedDocumentReader(string connectionString) : IPublishedDocumentReader
{
    private const string Sql = """
        SELECT "ArticleId", "Json", "ETag" FROM "PublishedArticleDocuments" WHERE "SiteId" = $site AND "Slug" = $slug
        """;

    public Task<ArticleDocument?> FindAsync(Guid siteId, string slug, CancellationToken cancellationToken)
    {
        // SQLite answers synchronously; the async ADO.NET methods would only add their overhead.
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        // EF stores a GUID on SQLite as upper-case text.
        command.Parameters.AddWithValue("$site", siteId.ToString().ToUpperInvariant());
        command.Parameters.AddWithValue("$slug", slug);
        using var reader = command.ExecuteReader(CommandBehavior.SingleRow);
        return Task.FromResult(reader.Read()
            ? new ArticleDocument(reader.GetGuid(0), new RenderedJson((byte[])reader.GetValue(1), reader.GetString(2)))
            : null);
    }
}
