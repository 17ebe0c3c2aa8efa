using System.Collections.Concurrent;
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
    /// <remarks>
    /// Both queries are compiled once. A LINQ query is translated once too, but EF hashes and compares its whole
    /// expression tree on every call to find the translation, which for this projection cost more than the query.
    /// </remarks>
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

        var context = (DbContext)db;
        var queries = For(context);
        var rows = await queries.RowsOf(context, siteId, slug, [.. ids], withBody).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            // A slug that is not, or no longer, published; or ids unpublished since they were chosen.
            return [];
        }

        var terms = (await queries.TermsOf(context, [.. rows.Select(r => r.Id)]).ToListAsync(cancellationToken))
            .ToLookup(l => (l.ArticleId, l.Kind), l => new TermRef { Slug = l.Slug, Name = l.Name });
        var byId = rows.ToDictionary(r => r.Id);
        return slug is null
            ? [.. ids.Where(byId.ContainsKey).Select(id => shape(Dto(byId[id], terms)))]
            : [.. rows.Select(r => shape(Dto(r, terms)))];
    }

    /// <summary>The compiled queries of one context type. EF binds a compiled query to the model of the context it
    /// first runs on, and each store has its own context type and model.</summary>
    private static readonly ConcurrentDictionary<Type, CompiledReads> Compiled = new();

    private static CompiledReads For(DbContext context) => Compiled.GetOrAdd(context.GetType(), _ => new CompiledReads());

    private sealed class CompiledReads
    {
        /// <summary>
        /// Plain columns only (projecting a complex property whole makes EF read the entire row), the section's slug and
        /// name, and the body and its companions only when asked (a condition on a parameter: the store never reads a
        /// body it does not return).
        /// </summary>
        /// <remarks>
        /// Found by slug, or by ids when the slug is null: EF writes one SQL statement for each case, as it drops the
        /// branch a null parameter rules out.
        /// </remarks>
        public readonly Func<DbContext, Guid, string?, List<Guid>, bool, IAsyncEnumerable<ArticleRow>> RowsOf =
            EF.CompileAsyncQuery<DbContext, Guid, string?, List<Guid>, bool, ArticleRow>((db, siteId, slug, ids, withBody) => db.Set<Article>().AsNoTracking()
                .Where(a => a.SiteId == siteId && a.Status == ArticleStatus.Published && (slug == null ? ids.Contains(a.Id) : a.Slug == slug))
                .Select(a => new ArticleRow
                {
                    Id = a.Id, Slug = a.Slug, Title = a.Title, Subtitle = a.Subtitle, Excerpt = a.Excerpt, Language = a.Language,
                    PublishedAt = a.PublishedAt!.Value, UpdatedAt = a.UpdatedAt, ReadingTimeMinutes = a.ReadingTimeMinutes,
                    WordCount = a.WordCount, ImageUrl = a.FeaturedImage!.Url, ImageAlt = a.FeaturedImage.Alt,
                    ImageCaption = a.FeaturedImage.Caption, ImageCredit = a.FeaturedImage.Credit,
                    SectionSlug = db.Set<TaxonomyTerm>().Where(t => t.Id == a.SectionId).Select(t => t.Slug).FirstOrDefault(),
                    SectionName = db.Set<TaxonomyTerm>().Where(t => t.Id == a.SectionId).Select(t => t.Name).FirstOrDefault(),
                    Html = withBody ? a.Body : null, SourceName = withBody ? a.Source!.Name : null, SourceUrl = withBody ? a.Source!.Url : null,
                    CanonicalUrl = withBody ? a.CanonicalUrl : null, MetaTitle = withBody ? a.Seo.MetaTitle : null,
                    MetaDescription = withBody ? a.Seo.MetaDescription : null, SocialImage = withBody ? a.Seo.SocialImage : null,
                }));

        public readonly Func<DbContext, List<Guid>, IAsyncEnumerable<TermLink>> TermsOf =
            EF.CompileAsyncQuery<DbContext, List<Guid>, TermLink>((db, ids) => db.Set<ArticleTerm>().AsNoTracking()
                .Where(l => ids.Contains(l.ArticleId))
                .Join(db.Set<TaxonomyTerm>(), l => l.TermId, t => t.Id, (l, t) => new { Link = l, Term = t })
                .OrderBy(x => x.Link.Position)
                .Select(x => new TermLink(x.Link.ArticleId, x.Link.Kind, x.Term.Slug, x.Term.Name)));
    }

    private static PublicArticleSummary Dto(ArticleRow r, ILookup<(Guid, TermKind), TermRef> terms)
    {
        var summary = new PublicArticleSummary
        {
            Id = r.Id, Slug = r.Slug, Title = r.Title, Subtitle = r.Subtitle, Excerpt = r.Excerpt, Language = r.Language,
            PublishedAt = r.PublishedAt, UpdatedAt = r.UpdatedAt, ReadingTimeMinutes = r.ReadingTimeMinutes,
            WordCount = r.WordCount, FeaturedImage = r.FeaturedImage(),
            Authors = [.. terms[(r.Id, TermKind.Author)]],
            Tags = [.. terms[(r.Id, TermKind.Tag)]],
            Section = r.SectionSlug is null ? null : new TermRef { Slug = r.SectionSlug, Name = r.SectionName! },
        };
        return r.Html is null
            ? summary
            : new PublicArticle(summary, r.Html, r.SourceName is null ? null : new SourceAttribution(r.SourceName, r.SourceUrl),
                r.CanonicalUrl, new SeoFields(r.MetaTitle, r.MetaDescription, r.SocialImage));
    }
}

internal sealed record TermLink(Guid ArticleId, TermKind Kind, string Slug, string Name);

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

    public required string? SectionSlug { get; init; }

    public required string? SectionName { get; init; }

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
