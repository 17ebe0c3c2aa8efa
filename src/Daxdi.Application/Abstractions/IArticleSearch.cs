using Daxdi.Application.Features.Delivery;

namespace Daxdi.Application.Abstractions;

/// <summary>A published article that matched a search, with the engine's relevance (higher is better).</summary>
public sealed record SearchHit(Guid ArticleId, double Score);

/// <summary>
/// Full-text search over the title, excerpt and text of a site's published articles, ranked by relevance.
/// Each store has its own engine (SQLite FTS5, PostgreSQL tsvector, a portable fallback on SQL Server).
/// </summary>
public interface IArticleSearch
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(Guid siteId, SearchQuery query, int max, CancellationToken cancellationToken);
}
