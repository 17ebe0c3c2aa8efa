using System.Linq.Expressions;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Articles.Similarity;
using Daxdi.Domain.Articles;
using Daxdi.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Similarity;

/// <summary><c>Similarity:*</c>.</summary>
public sealed class SimilarityOptions
{
    public const string Section = "Similarity";

    /// <summary>The estimated Jaccard similarity of 3-word shingles at or above which a text is a near-duplicate.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.05, 1.0)]
    public double DuplicateThreshold { get; init; } = 0.5;

    /// <summary>
    /// How long another node's writes may stay unseen: a node reads the store's changes at most this often unless its
    /// own commits marked the site changed.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CatchUpInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many changed articles a catch-up reads at a time; a first load holds one page of texts at once.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int ReadPageSize { get; init; } = 1000;
}

/// <summary>
/// <see cref="IArticleSimilarity"/> over <see cref="SimilarityIndex"/>: before comparing, the site's index reads the
/// articles changed since its watermark (all of them the first time), and the candidates it returns are checked
/// against the store, so an article deleted on another node a moment ago is never named.
/// </summary>
public sealed class ArticleSimilarity(DaxdiDbContext db, SimilarityIndex index, IOptions<SimilarityOptions> options, TimeProvider clock)
    : IArticleSimilarity
{
    /// <summary>Commits are stamped before they land; changes this much older than the watermark are read again.</summary>
    private static readonly TimeSpan CommitSkew = TimeSpan.FromSeconds(5);

    private const double Reported = 0.1;

    private static readonly Expression<Func<Article, ChangedArticle>> Changed =
        a => new ChangedArticle(a.Id, a.Title, a.SearchText, a.UpdatedAt, a.DeletedAt != null);

    public double DuplicateThreshold => options.Value.DuplicateThreshold;

    public void SiteChanged(Guid siteId) => index.Changed(siteId);

    public async Task<IReadOnlyList<SimilarArticle>> FindSimilarAsync(Guid siteId, string text, int max, Guid? excluding,
        CancellationToken cancellationToken)
    {
        var site = await CaughtUpAsync(siteId, cancellationToken);
        if (TextSignature.Of(text) is not { } signature)
        {
            return [];
        }

        var candidates = site.Candidates(signature, excluding, Reported);
        var found = new List<SimilarArticle>(max);
        foreach (var chunk in candidates.Chunk(Math.Max(max, 16)))
        {
            var ids = chunk.Select(c => c.ArticleId).ToList();
            var live = await db.Articles.AsNoTracking().Where(a => a.SiteId == siteId && ids.Contains(a.Id))
                .Select(a => a.Id).ToListAsync(cancellationToken);
            found.AddRange(chunk.Where(c => live.Contains(c.ArticleId)).Select(c => new SimilarArticle(c.ArticleId, c.Similarity)));
            if (found.Count >= max)
            {
                break;
            }
        }

        return found.Take(max).ToList();
    }

    private async Task<SimilarityIndex.Site> CaughtUpAsync(Guid siteId, CancellationToken cancellationToken)
    {
        var site = index.For(siteId);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!site.Stale && now - site.CaughtUpAt < options.Value.CatchUpInterval)
        {
            return site;
        }

        await site.CatchUp.WaitAsync(cancellationToken);
        try
        {
            site.Stale = false;
            await ReadChangesAsync(siteId, site, cancellationToken);
            site.CaughtUpAt = now;
        }
        finally
        {
            site.CatchUp.Release();
        }

        return site;
    }

    /// <summary>
    /// Reads the site's articles changed since the watermark (all of them the first time) oldest change first, a page
    /// at a time, so a first load holds one page of texts rather than the whole archive's. The next page starts at the
    /// last change read, again included, unless the whole page shared one instant: then that instant is read in full
    /// and the next page starts after it.
    /// </summary>
    private async Task ReadChangesAsync(Guid siteId, SimilarityIndex.Site site, CancellationToken cancellationToken)
    {
        var since = site.Watermark == DateTime.MinValue ? DateTime.MinValue : site.Watermark - CommitSkew;
        var after = false;
        var pageSize = options.Value.ReadPageSize;
        while (true)
        {
            var page = await Changes(siteId, since, after).OrderBy(a => a.UpdatedAt).Take(pageSize).Select(Changed)
                .ToListAsync(cancellationToken);
            Put(site, page);
            if (page.Count < pageSize)
            {
                return;
            }

            since = page[^1].UpdatedAt;
            after = page[0].UpdatedAt == since;
            if (after)
            {
                Put(site, await Changes(siteId, since, after: false).Where(a => a.UpdatedAt == since).Select(Changed).ToListAsync(cancellationToken));
            }
        }
    }

    private IQueryable<Article> Changes(Guid siteId, DateTime since, bool after)
    {
        var articles = db.Articles.AsNoTracking().IgnoreQueryFilters().Where(a => a.SiteId == siteId);
        return after ? articles.Where(a => a.UpdatedAt > since) : articles.Where(a => a.UpdatedAt >= since);
    }

    private static void Put(SimilarityIndex.Site site, List<ChangedArticle> changes)
    {
        foreach (var article in changes)
        {
            site.Put(article.Id, article.Deleted ? null : TextSignature.Of(SimilarityText.Of(article.Title, article.SearchText)));
            if (article.UpdatedAt > site.Watermark)
            {
                site.Watermark = article.UpdatedAt;
            }
        }
    }

    private sealed record ChangedArticle(Guid Id, string Title, string SearchText, DateTime UpdatedAt, bool Deleted);
}
