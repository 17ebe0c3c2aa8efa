using System.Data;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Microsoft.Data.Sqlite;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// Plain ADO.NET on pooled connections of its own. Through EF, opening and closing the pooled connection cost more
/// than the query: EF's SQLite connection registers its SQL functions on every open. Around this one lookup that and
/// EF's query pipeline were about a sixth of an uncached read by slug (ADR 0007).
/// </summary>
/// <remarks>SQLite answers synchronously; the async ADO.NET methods would only add their overhead.</remarks>
internal sealed class SqlitePublishedDocumentReader(string connectionString) : IPublishedDocumentReader
{
    private const string FindSql = """
        SELECT "ArticleId", "Json", "ETag" FROM "PublishedArticleDocuments" WHERE "SiteId" = $site AND "Slug" = $slug
        """;

    private const string SummariesSql = """
        SELECT "ArticleId", "Summary" FROM "PublishedArticleDocuments"
        WHERE "ArticleId" IN (SELECT value FROM json_each($ids)) AND "SiteId" = $site
        """;

    public Task<ArticleDocument?> FindAsync(Guid siteId, string slug, CancellationToken cancellationToken)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = FindSql;
        command.Parameters.AddWithValue("$site", SqliteKeys.Of(siteId));
        command.Parameters.AddWithValue("$slug", slug);
        using var reader = command.ExecuteReader(CommandBehavior.SingleRow);
        return Task.FromResult(reader.Read()
            ? new ArticleDocument(reader.GetGuid(0), new RenderedJson((byte[])reader.GetValue(1), reader.GetString(2)))
            : null);
    }

    public Task<Dictionary<Guid, byte[]>> SummariesAsync(Guid siteId, IReadOnlyCollection<Guid> articleIds, CancellationToken cancellationToken)
    {
        var summaries = new Dictionary<Guid, byte[]>(articleIds.Count);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SummariesSql;
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(articleIds.Select(SqliteKeys.Of)));
        command.Parameters.AddWithValue("$site", SqliteKeys.Of(siteId));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            summaries[reader.GetGuid(0)] = (byte[])reader.GetValue(1);
        }

        return Task.FromResult(summaries);
    }
}
