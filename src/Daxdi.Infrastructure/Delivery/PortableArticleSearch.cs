using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Daxdi.Domain.Articles;
using Daxdi.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// Search without a full-text engine, used on SQL Server: every word or phrase of an alternative must occur in the
/// title, excerpt or text (substring match, case per the column collation; SQL Server's default ignores case),
/// excluded ones must not. Matches are ranked by where the terms occur (title 3, excerpt 2, text 1), then recency.
/// It scans rather than seeks; a SQL Server full-text index is the upgrade path (docs/api/delivery.md).
/// </summary>
internal sealed class PortableArticleSearch(DaxdiDbContext db) : IArticleSearch
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(Guid siteId, SearchQuery query, int max, CancellationToken cancellationToken)
    {
        var candidates = new Dictionary<Guid, (string Title, string Excerpt, DateTime? PublishedAt, IReadOnlyList<SearchTerm> Terms)>();
        foreach (var alternative in query.Alternatives)
        {
            var matches = db.Articles.AsNoTracking().Where(a => a.SiteId == siteId && a.Status == ArticleStatus.Published);
            foreach (var term in alternative)
            {
                var text = term.Text;
                matches = term.Excluded
                    ? matches.Where(a => !a.Title.Contains(text) && !a.Excerpt.Contains(text) && !a.SearchText.Contains(text))
                    : matches.Where(a => a.Title.Contains(text) || a.Excerpt.Contains(text) || a.SearchText.Contains(text));
            }

            var rows = await matches.OrderByDescending(a => a.PublishedAt).Take(max)
                .Select(a => new { a.Id, a.Title, a.Excerpt, a.PublishedAt }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                candidates.TryAdd(row.Id, (row.Title, row.Excerpt, row.PublishedAt, alternative));
            }
        }

        return [.. candidates
            .Select(c => (Id: c.Key, c.Value.PublishedAt, Score: (double)c.Value.Terms.Where(t => !t.Excluded).Sum(t =>
                1 + (Has(c.Value.Title, t.Text) ? 3 : 0) + (Has(c.Value.Excerpt, t.Text) ? 2 : 0))))
            .OrderByDescending(c => c.Score).ThenByDescending(c => c.PublishedAt)
            .Take(max)
            .Select(c => new SearchHit(c.Id, c.Score))];
    }

    private static bool Has(string field, string text) => field.Contains(text, StringComparison.OrdinalIgnoreCase);
}
