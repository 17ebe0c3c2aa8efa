using Daxdi.Domain.Articles;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Daxdi.Application.Abstractions;

/// <summary>
/// The cache in front of the public endpoints (and any CDN that honours <c>Surrogate-Key</c>). Handlers say what
/// changed; the unit of work evicts it only after the change is committed, so no reader can re-cache the old state.
/// </summary>
public interface IPublicCache
{
    /// <summary>An article changed (any save or workflow action): its own responses and the site's lists go.</summary>
    void ArticleChanged(Guid siteId, Guid articleId);

    /// <summary>Something every public response of the site may show changed (taxonomy names, site settings).</summary>
    void SiteChanged(Guid siteId);

    /// <summary>The same, for a site known by key (one that is being deleted has no id to look up).</summary>
    void SiteChanged(string siteKey);

    /// <summary>Evicts what was noted since the last flush (responses and the site directory's entries).</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}

/// <summary>The cache tags and surrogate keys of public responses; the same strings evict both.</summary>
public static class CacheTags
{
    /// <summary>Every public response of the site.</summary>
    public static string Site(string siteKey) => $"site:{siteKey}";

    /// <summary>Responses that list or count a site's articles.</summary>
    public static string Lists(string siteKey) => $"lists:{siteKey}";

    /// <summary>Responses about one article.</summary>
    public static string Article(Guid articleId) => $"article:{articleId}";
}

/// <summary>Reads what a unit of work is about to save and tells the public cache, so no handler can forget to.</summary>
public static class PublicChanges
{
    public static void Note(ChangeTracker tracker, IPublicCache cache)
    {
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Article article:
                    cache.ArticleChanged(article.SiteId, article.Id);
                    break;
                case TaxonomyTerm term:
                    cache.SiteChanged(term.SiteId);
                    break;
                case Site site:
                    cache.SiteChanged(site.Key);
                    break;
                case ConsentPolicy { IsPublished: true } policy:
                    // Publishing changes the site's current policy; drafts are never public. Rare enough to evict the site.
                    cache.SiteChanged(policy.SiteId);
                    break;
            }
        }
    }
}
