using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Daxdi.Infrastructure.Persistence;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// SQLite FTS5: the <c>ArticleSearch</c> index (title, excerpt, text; Porter stemming, accents folded) is kept in step
/// with <c>Articles</c> by triggers, and ranked with BM25 weighting the title over the excerpt over the text. Equal
/// scores go to the most recently created article first.
/// </summary>
internal sealed class SqliteArticleSearch(DaxdiDbContext db) : IArticleSearch
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(Guid siteId, SearchQuery query, int max, CancellationToken cancellationToken)
    {
        var match = query.ToFts5();
        try
        {
            // Ranking reads only the index; checking site and status reads article rows. So the best `max` matches
            // are ranked first and only they are checked. When some of them belong to other sites or are not
            // published, the search runs again over all matches.
            var hits = await RankAsync(match, siteId, window: max, max, cancellationToken);
            return hits.Count < max ? await RankAsync(match, siteId, window: -1, max, cancellationToken) : hits;
        }
        catch (SqliteException e) when (e.Message.Contains("fts5", StringComparison.OrdinalIgnoreCase))
        {
            // SearchQuery quotes every term, so this is a safety net: an engine complaint about a query is the client's 400.
            throw new ValidationException([new ValidationFailure("q", "'q' could not be understood as a search.")]);
        }
    }

    /// <summary>The site's published articles among the <paramref name="window"/> best matches (-1: all), best first.</summary>
    private Task<List<SearchHit>> RankAsync(string match, Guid siteId, int window, int max, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<SearchHit>($"""
            SELECT a."Id" AS "ArticleId", -ranked.score AS "Score"
            FROM (
                SELECT rowid AS id, bm25("ArticleSearch", 10.0, 4.0, 1.0) AS score FROM "ArticleSearch"
                WHERE "ArticleSearch" MATCH {match}
                ORDER BY score, rowid DESC
                LIMIT {window}
            ) AS ranked
            JOIN "Articles" AS a ON a.rowid = ranked.id
            WHERE a."SiteId" = {siteId} AND a."Status" = 'Published' AND a."DeletedAt" IS NULL
            ORDER BY ranked.score, ranked.id DESC
            LIMIT {max}
            """).ToListAsync(cancellationToken);
}
