using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

internal static class ArticleQueries
{
    /// <summary>An article with everything its DTO and its domain methods need, tracked for changes.</summary>
    public static async Task<Article> GetForChangeAsync(this DbSet<Article> articles, Guid id, CancellationToken cancellationToken) =>
        await articles.Include(a => a.Terms).Include(a => a.Recommendations).Include(a => a.FormerSlugs)
            .FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw NotFound(id);

    public static DomainException NotFound(Guid id) =>
        DomainException.NotFound("article.not_found", $"No article with id '{id}'.");
}
