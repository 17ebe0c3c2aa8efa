using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles.Rendering;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>
/// Resolves what an editor sent into <see cref="ArticleContent"/>: renders and sanitizes the body, computes counts
/// and the excerpt, resolves author and section slugs, creates tags on first use and settles the slug.
/// </summary>
public sealed class ArticleComposer(IDaxdiDbContext db, ArticleBodyRenderer renderer, ICurrentUser user, TimeProvider clock)
{
    public async Task<ArticleContent> ComposeAsync(Site site, ArticleFields f, Article? existing, CancellationToken cancellationToken) =>
        await ComposeAsync(site, f, existing, await StartBatchAsync(site, cancellationToken), cancellationToken);

    /// <summary>What new articles composed one after the other for one commit share (<see cref="CompositionBatch"/>).</summary>
    public async Task<CompositionBatch> StartBatchAsync(Site site, CancellationToken cancellationToken) =>
        // Not tracked: they are only looked up, and every term tracked is compared again by each DetectChanges of
        // the save (88 terms made that a tenth of an ingest's CPU, docs/performance.md). A new tag is added to the context.
        new(await db.SiteTermsAsync(site.Id, cancellationToken));

    /// <summary>A new article of <paramref name="batch"/>: its tags and slug take those of the batch's earlier articles into account.</summary>
    public async Task<ArticleContent> ComposeAsync(Site site, ArticleFields f, CompositionBatch batch, CancellationToken cancellationToken)
    {
        var content = await ComposeAsync(site, f, existing: null, batch, cancellationToken);
        batch.Slugs.Add(content.Slug);
        return content;
    }

    private async Task<ArticleContent> ComposeAsync(Site site, ArticleFields f, Article? existing, CompositionBatch batch,
        CancellationToken cancellationToken)
    {
        var failures = new List<ValidationFailure>();
        var terms = batch.Terms;

        var authorIds = new List<Guid>();
        for (var i = 0; i < f.Authors.Count; i++)
        {
            var author = terms.Find(t => t.Kind == TermKind.Author && t.Slug == f.Authors[i]);
            if (author is null)
            {
                failures.Add(new ValidationFailure($"authors[{i}]", $"No author with slug '{f.Authors[i]}' in site '{site.Key}'."));
            }
            else
            {
                authorIds.Add(author.Id);
            }
        }

        Guid? sectionId = null;
        if (f.Section is not null)
        {
            sectionId = terms.Find(t => t.Kind == TermKind.Section && t.Slug == f.Section)?.Id;
            if (sectionId is null)
            {
                failures.Add(new ValidationFailure("section", $"No section with slug '{f.Section}' in site '{site.Key}'."));
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        var tagIds = f.Tags.Select(tag => FindOrCreateTag(site, terms, tag).Id).Distinct().ToList();
        var body = renderer.Render(f.Body, f.BodyFormat, cancellationToken);
        var slug = await SettleSlugAsync(site, f.Slug, f.Title, existing, batch.Slugs, cancellationToken);

        return new ArticleContent
        {
            Slug = slug,
            Title = f.Title.Trim(),
            Subtitle = Blank(f.Subtitle),
            Excerpt = Blank(f.Excerpt) ?? ArticleBodyRenderer.Excerpt(body.PlainText, ArticleRules.GeneratedExcerptLength),
            ExcerptGenerated = Blank(f.Excerpt) is null,
            Body = body.Html,
            BodyFormat = f.BodyFormat,
            MarkdownSource = f.BodyFormat == BodyFormat.Markdown ? f.Body : null,
            Language = f.Language ?? site.DefaultLanguage,
            SearchText = body.PlainText,
            SectionId = sectionId,
            AuthorIds = authorIds,
            TagIds = tagIds,
            FeaturedImage = f.FeaturedImage?.ToImage(),
            Source = f.Source?.ToSource(),
            CanonicalUrl = f.CanonicalUrl,
            Seo = f.Seo?.ToSeo() ?? SeoFields.Empty,
            WordCount = body.WordCount,
            ReadingTimeMinutes = ArticleRules.ReadingTimeMinutes(body.WordCount),
        };
    }

    /// <summary>
    /// An explicit slug must be free in the site (current and former slugs of other articles, deleted ones
    /// included, so an old link never lands on different content). A generated one takes the first free suffix.
    /// </summary>
    /// <remarks>
    /// The slug asked for is looked up exactly first, and the slugs that share its first 40 characters are listed only
    /// when it is taken. A prefix match cannot use the index on SQLite (its <c>LIKE</c> ignores case, the index does
    /// not), so listing them on every create read all of the site's slugs: an import got slower with every article.
    /// </remarks>
    private async Task<string> SettleSlugAsync(Site site, string? requested, string title, Article? existing,
        HashSet<string> claimed, CancellationToken cancellationToken)
    {
        if (requested is null && existing is not null)
        {
            return existing.Slug;
        }

        var wanted = requested ?? Slugs.From(title, ArticleRules.SlugMaxLength);
        var free = !claimed.Contains(wanted) && await IsFreeAsync(site, wanted, existing, cancellationToken);
        if (requested is not null)
        {
            return free
                ? requested
                : throw DomainException.Conflict("article.slug_taken", $"Another article of site '{site.Key}' uses or used the slug '{requested}'.");
        }

        if (free && !ArticleRules.ReservedSlugs.Contains(wanted))
        {
            return wanted;
        }

        var taken = await TakenSlugsAsync(site, wanted.Length > 40 ? wanted[..40] : wanted, existing, cancellationToken);
        return Slugs.FirstFree(wanted, ArticleRules.SlugMaxLength,
            s => s == wanted || taken.Contains(s) || claimed.Contains(s) || ArticleRules.ReservedSlugs.Contains(s));
    }

    /// <summary>Whether <paramref name="slug"/> is free for <paramref name="article"/> (see <see cref="SettleSlugAsync"/>).</summary>
    public Task<bool> IsSlugFreeAsync(Site site, string slug, Article article, CancellationToken cancellationToken) =>
        IsFreeAsync(site, slug, article, cancellationToken);

    private async Task<bool> IsFreeAsync(Site site, string slug, Article? existing, CancellationToken cancellationToken) =>
        !await db.SlugTakenAsync(site.Id, existing?.Id ?? Guid.Empty, slug, cancellationToken);

    private async Task<HashSet<string>> TakenSlugsAsync(Site site, string prefix, Article? existing, CancellationToken cancellationToken)
    {
        var selfId = existing?.Id ?? Guid.Empty;
        var current = db.Articles.IgnoreQueryFilters()
            .Where(a => a.SiteId == site.Id && a.Id != selfId && a.Slug.StartsWith(prefix)).Select(a => a.Slug);
        var former = db.ArticleFormerSlugs
            .Where(s => s.SiteId == site.Id && s.ArticleId != selfId && s.Slug.StartsWith(prefix)).Select(s => s.Slug);
        return (await current.Concat(former).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
    }

    private TaxonomyTerm FindOrCreateTag(Site site, List<TaxonomyTerm> terms, string entry)
    {
        var name = entry.Trim();
        var slug = Slugs.From(name, TaxonomyRules.SlugMaxLength);
        var tag = terms.Find(t => t.Kind == TermKind.Tag && (t.Slug == name || t.Slug == slug
            || string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)));
        if (tag is null)
        {
            if (user.IsAuthor())
            {
                // POST …/tags is for editors; naming a new tag in an article would be a way around it.
                throw DomainException.Forbidden("article.new_tag_forbidden",
                    $"Authors may tag articles only with existing tags; '{name}' does not exist in site '{site.Key}'. Ask an editor to create it.");
            }

            tag = new TaxonomyTerm(site.Id, TermKind.Tag,
                Slugs.FirstFree(slug, TaxonomyRules.SlugMaxLength, s => terms.Exists(t => t.Kind == TermKind.Tag && t.Slug == s)),
                name, description: null, avatarUrl: null, clock.UtcNow());
            terms.Add(tag);
            db.TaxonomyTerms.Add(tag);
        }

        return tag;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// The state that new articles composed for one commit share: the site's terms, with the tags created on the way, and
/// the slugs the batch's articles took, so two of them never get the same one.
/// </summary>
public sealed class CompositionBatch(List<TaxonomyTerm> terms)
{
    internal List<TaxonomyTerm> Terms { get; } = terms;

    internal HashSet<string> Slugs { get; } = new(StringComparer.Ordinal);
}
