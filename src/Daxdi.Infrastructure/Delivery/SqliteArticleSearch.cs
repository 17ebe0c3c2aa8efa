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
/// with <c>Articles</c> by triggers, and ranked with BM25 weighting the title over the excerpt over the text.
/// </summary>
internal sealed class SqliteArticleSearch(DaxdiDbContext db) : IArticleSearch
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(Guid siteId, SearchQuery query, int max, CancellationToken cancellationToken)
    {
        var match = query.ToFts5();
        try
        {
            return await db.Database.SqlQuery<SearchHit>($"""
                SELECT a."Id" AS "ArticleId", -bm25("ArticleSearch", 10.0, 4.0, 1.0) AS "Score"
                FROM "ArticleSearch" JOIN "Articles" AS a ON a.rowid = "ArticleSearch".rowid
                WHERE "ArticleSearch" MATCH {match} AND a."SiteId" = {siteId}
                  AND a."Status" = 'Published' AND a."DeletedAt" IS NULL
                ORDER BY bm25("ArticleSearch", 10.0, 4.0, 1.0), a."PublishedAt" DESC
                LIMIT {max}
                """).ToListAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.Message.Contains("fts5", StringComparison.OrdinalIgnoreCase))
        {
            // SearchQuery quotes every term, so this is a safety net: an engine complaint about a query is the client's 400.
            throw new ValidationException([new ValidationFailure("q", "'q' could not be understood as a search.")]);
        }
    }
}
