using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Delivery;

/// <summary>What every public read shares: site lookup, the published filter and one projection.</summary>
internal static class PublicArticleQueries
{
    public static async Task<SiteInfo> GetSiteAsync(this ISiteDirectory sites, string key, CancellationToken cancellationToken) =>
        await sites.FindAsync(key, cancellationToken) ?? throw Sites.SiteQueries.NotFound(key);

    /// <summary>Published, not deleted, of this site. Drafts, scheduled and archived articles never leave here.</summary>
    public static IQueryable<Article> Published(this IDaxdiDbContext db, Guid siteId) =>
        db.Articles.AsNoTracking().Where(a => a.SiteId == siteId && a.Status == ArticleStatus.Published);

    public static DomainException NotFound(string siteKey, string slug) =>
        DomainException.NotFound("article.not_found", $"No published article with slug '{slug}' in site '{siteKey}'.");

    /// <summary>The site's published article with this slug, body included, as <typeparamref name="TDto"/>.</summary>
    public static async Task<TDto?> ReadAsync<TDto>(this IDaxdiDbContext db, Guid siteId, string slug,
        Func<PublicArticleSummary, TDto> shape, CancellationToken cancellationToken) where TDto : class =>
        (await ReadAsync(db, siteId, slug, [], withBody: true, shape, cancellationToken)).SingleOrDefault();

    /// <summary>
    /// The published articles with these ids, in the order given, as <typeparamref name="TDto"/>: one query for the
    /// rows (the body only <paramref name="withBody"/>) and one for the authors and tags of all of them.
    /// </summary>
    public static Task<List<TDto>> ReadAsync<TDto>(this IDaxdiDbContext db, Guid siteId, IReadOnlyCollection<Guid> ids, bool withBody,
        Func<PublicArticleSummary, TDto> shape, CancellationToken cancellationToken) =>
        ReadAsync(db, siteId, slug: null, ids, withBody, shape, cancellationToken);

    private static async Task<List<TDto>> ReadAsync<TDto>(IDaxdiDbContext db, Guid siteId, string? slug, IReadOnlyCollection<Guid> ids,
        bool withBody, Func<PublicArticleSummary, TDto> shape, CancellationToken cancellationToken)
    {
        if (slug is null && ids.Count == 0)
        {
            return [];
        }

        var rows = await db.PublishedArticleRowsAsync(siteId, slug, [.. ids], withBody, cancellationToken);
        if (rows.Count == 0)
        {
            // A slug that is not, or no longer, published; or ids unpublished since they were chosen.
            return [];
        }

        var terms = (await db.ArticleTermLinksAsync([.. rows.Select(r => r.Id)], cancellationToken))
            .ToLookup(l => (l.ArticleId, l.Kind), l => new TermRef { Slug = l.Slug, Name = l.Name });
        var byId = rows.ToDictionary(r => r.Id);
        return slug is null
            ? [.. ids.Where(byId.ContainsKey).Select(id => shape(Dto(byId[id], terms)))]
            : [.. rows.Select(r => shape(Dto(r, terms)))];
    }

    private static PublicArticleSummary Dto(PublishedArticleRow r, ILookup<(Guid, TermKind), TermRef> terms)
    {
        var summary = new PublicArticleSummary(r, [.. terms[(r.Id, TermKind.Author)]], [.. terms[(r.Id, TermKind.Tag)]],
            r.SectionSlug is null ? null : new TermRef { Slug = r.SectionSlug, Name = r.SectionName! }, r.FeaturedImage());
        return r.Html is null
            ? summary
            : new PublicArticle(summary, r.Html, r.SourceName is null ? null : new SourceAttribution(r.SourceName, r.SourceUrl),
                r.CanonicalUrl, new SeoFields(r.MetaTitle, r.MetaDescription, r.SocialImage));
    }
}
