using Daxdi.Application.Abstractions;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Security;

/// <summary>What an author credential's reach over an article depends on: the article's site and its authors.</summary>
/// <param name="SiteKey">The key of the article's site.</param>
/// <param name="ByAuthor">The author profile asked about is one of the article's authors.</param>
public sealed record ArticleAuthorship(string? SiteKey, bool ByAuthor);

/// <summary>Reads what an author credential may reach, for the authorization that runs before a request is bound.</summary>
public sealed class AuthorReach(IDaxdiDbContext db)
{
    /// <summary>The article's site and whether <paramref name="authorSlug"/> is one of its authors; <c>null</c> when there is no such article.</summary>
    public Task<ArticleAuthorship?> OfArticleAsync(Guid articleId, string authorSlug, CancellationToken cancellationToken) =>
        db.Articles.AsNoTracking().Where(a => a.Id == articleId)
            .Select(a => new ArticleAuthorship(
                db.Sites.Where(s => s.Id == a.SiteId).Select(s => s.Key).FirstOrDefault(),
                a.Terms.Any(t => t.Kind == TermKind.Author && db.TaxonomyTerms.Any(p => p.Id == t.TermId && p.Slug == authorSlug))))
            .FirstOrDefaultAsync(cancellationToken);
}
