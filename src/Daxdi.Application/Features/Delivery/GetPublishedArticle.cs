using Daxdi.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Delivery;

/// <summary>A public read that may answer "moved": the slug asked for is a former slug of <see cref="MovedTo"/>.</summary>
public sealed record PublicResult<T>(T? Value, string? MovedTo) where T : class;

/// <summary>One published article by slug. A former slug answers with the current one; anything unpublished is not found.</summary>
public sealed record GetPublishedArticle(string Site, string Slug) : IQuery<PublicResult<PublicArticle>>;

public sealed class GetPublishedArticleHandler(IDaxdiDbContext db, ISiteDirectory sites)
    : IQueryHandler<GetPublishedArticle, PublicResult<PublicArticle>>
{
    public async ValueTask<PublicResult<PublicArticle>> Handle(GetPublishedArticle query, CancellationToken cancellationToken)
    {
        var site = await sites.GetSiteAsync(query.Site, cancellationToken);
        var article = await db.ReadAsync(site.Id, query.Slug, dto => (PublicArticle)dto, cancellationToken);
        if (article is null)
        {
            return new PublicResult<PublicArticle>(null, await db.CurrentSlugAsync(site, query.Slug, cancellationToken));
        }

        return new PublicResult<PublicArticle>(article, null);
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
