using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Daxdi.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// PostgreSQL full-text search: a stored <c>tsvector</c> column (title weight A, excerpt B, text C; English
/// configuration) with a GIN index, queried with <c>to_tsquery</c> built from the parsed search (never from raw input)
/// and ranked with <c>ts_rank_cd</c>.
/// </summary>
internal sealed class PostgreSqlArticleSearch(DaxdiDbContext db) : IArticleSearch
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(Guid siteId, SearchQuery query, int max, CancellationToken cancellationToken)
    {
        var text = TsQuery(query);
        return await db.Database.SqlQuery<SearchHit>($"""
            SELECT a."Id" AS "ArticleId", ts_rank_cd(a."SearchVector", q)::float8 AS "Score"
            FROM "Articles" AS a, to_tsquery('english', {text}) AS q
            WHERE a."SiteId" = {siteId} AND a."Status" = 'Published' AND a."DeletedAt" IS NULL
              AND a."SearchVector" @@ q
            ORDER BY "Score" DESC, a."PublishedAt" DESC
            LIMIT {max}
            """).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The search in <c>to_tsquery</c> syntax: words of a phrase joined by <c>&lt;-&gt;</c>, a prefix as <c>:*</c>. Terms hold
    /// only letters, digits and spaces (<see cref="SearchTerm"/>), so the result always parses.
    /// </summary>
    internal static string TsQuery(SearchQuery query)
    {
        static string Term(SearchTerm t)
        {
            var words = t.Text.Split(' ');
            var joined = string.Join(t.Phrase ? " <-> " : " & ", words) + (t.Prefix ? ":*" : "");
            return t.Excluded ? $"!({joined})" : $"({joined})";
        }

        return string.Join(" | ", query.Alternatives.Select(terms => "(" + string.Join(" & ", terms.Select(Term)) + ")"));
    }
}
