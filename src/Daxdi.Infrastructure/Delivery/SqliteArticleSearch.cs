using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Data.Sqlite;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// SQLite FTS5: the <c>ArticleSearch</c> index (title, excerpt, text; Porter stemming, accents folded) is kept in step
/// with <c>Articles</c> by triggers, and ranked with BM25 weighting the title over the excerpt over the text. Equal
/// scores go to the most recently created article first.
/// </summary>
/// <remarks>Plain ADO.NET on pooled connections of its own, as <see cref="SqlitePublishedDocumentReader"/> and for the same reason.</remarks>
internal sealed class SqliteArticleSearch(string connectionString) : IArticleSearch
{
    private const string Sql = """
        SELECT a."Id", -ranked.score
        FROM (
            SELECT rowid AS id, bm25("ArticleSearch", 10.0, 4.0, 1.0) AS score FROM "ArticleSearch"
            WHERE "ArticleSearch" MATCH $match
            ORDER BY score, rowid DESC
            LIMIT $window
        ) AS ranked
        JOIN "Articles" AS a ON a.rowid = ranked.id
        WHERE a."SiteId" = $site AND a."Status" = 'Published' AND a."DeletedAt" IS NULL
        ORDER BY ranked.score, ranked.id DESC
        LIMIT $max
        """;

    public Task<IReadOnlyList<SearchHit>> SearchAsync(Guid siteId, SearchQuery query, int max, CancellationToken cancellationToken)
    {
        var match = Match(query);
        try
        {
            // Ranking reads only the index; checking site and status reads article rows. So the best `max` matches
            // are ranked first and only they are checked. When some of them belong to other sites or are not
            // published, the search runs again over all matches.
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            var hits = Rank(connection, match, siteId, window: max, max);
            return Task.FromResult<IReadOnlyList<SearchHit>>(hits.Count < max ? Rank(connection, match, siteId, window: -1, max) : hits);
        }
        catch (SqliteException e) when (e.Message.Contains("fts5", StringComparison.OrdinalIgnoreCase))
        {
            // Match quotes every term, so this is a safety net: an engine complaint about a query is the client's 400.
            throw new ValidationException([new ValidationFailure("q", "'q' could not be understood as a search.")]);
        }
    }

    /// <summary>The search in FTS5 <c>MATCH</c> syntax: every term a quoted string, so punctuation in it is never an operator.</summary>
    internal static string Match(SearchQuery query)
    {
        static string Quote(SearchTerm t) => $"\"{t.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" + (t.Prefix ? "*" : "");
        return string.Join(" OR ", query.Alternatives.Select(terms =>
        {
            var included = string.Join(" AND ", terms.Where(t => !t.Excluded).Select(Quote));
            var excluded = string.Concat(terms.Where(t => t.Excluded).Select(t => " NOT " + Quote(t)));
            return $"(({included}){excluded})";
        }));
    }

    /// <summary>The site's published articles among the <paramref name="window"/> best matches (-1: all), best first.</summary>
    private static List<SearchHit> Rank(SqliteConnection connection, string match, Guid siteId, int window, int max)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$window", window);
        command.Parameters.AddWithValue("$site", SqliteKeys.Of(siteId));
        command.Parameters.AddWithValue("$max", max);
        using var reader = command.ExecuteReader();
        var hits = new List<SearchHit>(max);
        while (reader.Read())
        {
            hits.Add(new SearchHit(reader.GetGuid(0), reader.GetDouble(1)));
        }

        return hits;
    }
}
