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

    /// <summary>
    /// The rows for <paramref name="articles"/>, with the body only when <paramref name="withBody"/>. Two fixed
    /// projections of plain columns: EF then reads exactly those columns (projecting a complex property whole makes it
    /// read the entire row, 2 MiB bodies included).
    /// </summary>
    public static IQueryable<ArticleRow> Rows(this IQueryable<Article> articles, bool withBody) => withBody
        ? articles.Select(a => new ArticleRow
        {
            Id = a.Id, Slug = a.Slug, Title = a.Title, Subtitle = a.Subtitle, Excerpt = a.Excerpt, Language = a.Language,
            PublishedAt = a.PublishedAt!.Value, UpdatedAt = a.UpdatedAt, ReadingTimeMinutes = a.ReadingTimeMinutes,
            WordCount = a.WordCount, SectionId = a.SectionId, ImageUrl = a.FeaturedImage!.Url, ImageAlt = a.FeaturedImage.Alt,
            ImageCaption = a.FeaturedImage.Caption, ImageCredit = a.FeaturedImage.Credit,
            Html = a.Body, SourceName = a.Source!.Name, SourceUrl = a.Source.Url, CanonicalUrl = a.CanonicalUrl,
            MetaTitle = a.Seo.MetaTitle, MetaDescription = a.Seo.MetaDescription, SocialImage = a.Seo.SocialImage,
        })
        : articles.Select(a => new ArticleRow
        {
            Id = a.Id, Slug = a.Slug, Title = a.Title, Subtitle = a.Subtitle, Excerpt = a.Excerpt, Language = a.Language,
            PublishedAt = a.PublishedAt!.Value, UpdatedAt = a.UpdatedAt, ReadingTimeMinutes = a.ReadingTimeMinutes,
            WordCount = a.WordCount, SectionId = a.SectionId, ImageUrl = a.FeaturedImage!.Url, ImageAlt = a.FeaturedImage.Alt,
            ImageCaption = a.FeaturedImage.Caption, ImageCredit = a.FeaturedImage.Credit,
        });

    /// <summary>Turns rows into DTOs, loading the authors, tags and sections of all of them in two queries.</summary>
    public static async Task<List<TDto>> ToDtosAsync<TDto>(this IDaxdiDbContext db, IReadOnlyList<ArticleRow> rows,
        Func<ArticleRow, PublicArticleSummary, TDto> shape, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var links = await db.ArticleTerms.AsNoTracking().Where(t => ids.Contains(t.ArticleId))
            .OrderBy(t => t.Position).Select(t => new { t.ArticleId, t.TermId, t.Kind })
            .ToListAsync(cancellationToken);
        var termIds = links.Select(l => l.TermId).Concat(rows.Where(r => r.SectionId != null).Select(r => r.SectionId!.Value)).Distinct().ToList();
        var terms = await TermRefs.LoadAsync(db, termIds, cancellationToken);
        var byArticle = links.ToLookup(l => l.ArticleId);

        return [.. rows.Select(r =>
        {
            var summary = new PublicArticleSummary
            {
                Id = r.Id, Slug = r.Slug, Title = r.Title, Subtitle = r.Subtitle, Excerpt = r.Excerpt, Language = r.Language,
                PublishedAt = r.PublishedAt, UpdatedAt = r.UpdatedAt, ReadingTimeMinutes = r.ReadingTimeMinutes,
                WordCount = r.WordCount, FeaturedImage = r.FeaturedImage(),
                Authors = TermRefs.Pick(terms, byArticle[r.Id].Where(l => l.Kind == TermKind.Author).Select(l => l.TermId)),
                Tags = TermRefs.Pick(terms, byArticle[r.Id].Where(l => l.Kind == TermKind.Tag).Select(l => l.TermId)),
                Section = r.SectionId is { } s && terms.TryGetValue(s, out var section) ? section : null,
            };
            return shape(r, r.Html is null
                ? summary
                : new PublicArticle(summary, r.Html, r.SourceName is null ? null : new SourceAttribution(r.SourceName, r.SourceUrl),
                    r.CanonicalUrl, new SeoFields(r.MetaTitle, r.MetaDescription, r.SocialImage)));
        })];
    }
}

/// <summary>One published article as read from the store: plain columns only.</summary>
internal sealed record ArticleRow
{
    public required Guid Id { get; init; }

    public required string Slug { get; init; }

    public required string Title { get; init; }

    public required string? Subtitle { get; init; }

    public required string Excerpt { get; init; }

    public required string Language { get; init; }

    public required DateTime PublishedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    public required int ReadingTimeMinutes { get; init; }

    public required int WordCount { get; init; }

    public required Guid? SectionId { get; init; }

    public required string? ImageUrl { get; init; }

    public required string? ImageAlt { get; init; }

    public required string? ImageCaption { get; init; }

    public required string? ImageCredit { get; init; }

    public string? Html { get; init; }

    public string? SourceName { get; init; }

    public string? SourceUrl { get; init; }

    public string? CanonicalUrl { get; init; }

    public string? MetaTitle { get; init; }

    public string? MetaDescription { get; init; }

    public string? SocialImage { get; init; }

    public FeaturedImage? FeaturedImage() => ImageUrl is null ? null : new(ImageUrl, ImageAlt, ImageCaption, ImageCredit);
}
