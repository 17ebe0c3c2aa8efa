using System.Collections.Concurrent;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Persistence;

/// <remarks>
/// The reads of published articles are compiled once. A LINQ query is translated once too, but EF hashes and compares
/// its whole expression tree on every call to find the translation, which for this projection cost more than the query.
/// </remarks>
public abstract partial class DaxdiDbContext
{
    /// <summary>The compiled queries of one context type. EF binds a compiled query to the model of the context it
    /// first runs on, and each store has its own context type and model.</summary>
    private static readonly ConcurrentDictionary<Type, CompiledReads> Compiled = new();

    public ValueTask<List<PublishedArticleRow>> PublishedArticleRowsAsync(Guid siteId, string? slug, List<Guid> ids, bool withBody,
        CancellationToken cancellationToken) =>
        Reads.RowsOf(this, siteId, slug, ids, withBody).ToListAsync(cancellationToken);

    public ValueTask<List<ArticleTermLink>> ArticleTermLinksAsync(List<Guid> articleIds, CancellationToken cancellationToken) =>
        Reads.TermsOf(this, articleIds).ToListAsync(cancellationToken);

    private CompiledReads Reads => Compiled.GetOrAdd(GetType(), _ => new CompiledReads());

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
        public readonly Func<DaxdiDbContext, Guid, string?, List<Guid>, bool, IAsyncEnumerable<PublishedArticleRow>> RowsOf =
            EF.CompileAsyncQuery<DaxdiDbContext, Guid, string?, List<Guid>, bool, PublishedArticleRow>((db, siteId, slug, ids, withBody) => db.Set<Article>().AsNoTracking()
                .Where(a => a.SiteId == siteId && a.Status == ArticleStatus.Published && (slug == null ? ids.Contains(a.Id) : a.Slug == slug))
                .Select(a => new PublishedArticleRow
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

        public readonly Func<DaxdiDbContext, List<Guid>, IAsyncEnumerable<ArticleTermLink>> TermsOf =
            EF.CompileAsyncQuery<DaxdiDbContext, List<Guid>, ArticleTermLink>((db, ids) => db.Set<ArticleTerm>().AsNoTracking()
                .Where(l => ids.Contains(l.ArticleId))
                .Join(db.Set<TaxonomyTerm>(), l => l.TermId, t => t.Id, (l, t) => new { Link = l, Term = t })
                .OrderBy(x => x.Link.Position)
                .Select(x => new ArticleTermLink(x.Link.ArticleId, x.Link.Kind, x.Term.Slug, x.Term.Name)));
    }
}
