using Daxdi.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Delivery;

/// <summary>A public read that may answer "moved": the slug asked for is a former slug of <see cref="MovedTo"/>.</summary>
public sealed record PublicResult<T>(T? Value, string? MovedTo) where T : class;

/// <summary>A published article as the API answers it: its JSON with ETag, and its id for the cache keys.</summary>
public sealed record ArticleDocument(Guid Id, RenderedJson Json);

/// <summary>One published article by slug. A former slug answers with the current one; anything unpublished is not found.</summary>
public sealed record GetPublishedArticle(string Site, string Slug) : IQuery<PublicResult<ArticleDocument>>;

/// <remarks>
/// Reads the article's stored document (<see cref="PublishedDocuments"/>): one indexed lookup, no rendering. Without
/// one, the article is read and rendered here: a slug that is not published (then 301 or 404), or an article whose
/// document the background has not rendered yet (a store from before documents, or a term just renamed).
/// </remarks>
public sealed class GetPublishedArticleHandler(IDaxdiDbContext db, ISiteDirectory sites, IPublishedDocumentReader documents, IPublicJson json)
    : IQueryHandler<GetPublishedArticle, PublicResult<ArticleDocument>>
{
    public async ValueTask<PublicResult<ArticleDocument>> Handle(GetPublishedArticle query, CancellationToken cancellationToken)
    {
        var site = await sites.GetSiteAsync(query.Site, cancellationToken);
        if (await documents.FindAsync(site.Id, query.Slug, cancellationToken) is { } document)
        {
            return new PublicResult<ArticleDocument>(document, null);
        }

        var article = await db.ReadAsync(site.Id, query.Slug, dto => (PublicArticle)dto, cancellationToken);
        if (article is null)
        {
            return new PublicResult<ArticleDocument>(null, await db.CurrentSlugAsync(site, query.Slug, cancellationToken));
        }

        return new PublicResult<ArticleDocument>(new ArticleDocument(article.Id, json.Render(article, typeof(PublicArticle))), null);
    }
}

internal static class FormerSlugs
{
    /// <summary>The current slug of the published article that once had <paramref name="slug"/>; not found otherwise.</summary>
    public static async Task<string> CurrentSlugAsync(this IDaxdiDbContext db, SiteInfo site, string slug, CancellationToken cancellationToken) =>
        await db.ArticleFormerSlugs.Where(f => f.SiteId == site.Id && f.Slug == slug)
            .Join(db.Published(site.Id), f => f.ArticleId, a => a.Id, (_, a) => a.Slug)
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw PublicArticleQueries.NotFound(site.Key, slug);
}
