using Daxdi.Application.Abstractions;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Api.Hosting.Delivery;

/// <summary>
/// Evicts public responses from the ASP.NET Core output cache by tag, and forgets changed sites in the site
/// directory. Scoped: it gathers what one unit of work changed and evicts it after the commit.
/// </summary>
public sealed class OutputCachePublicCache(IOutputCacheStore store, CacheGeneration generation, IDaxdiDbContext db, ISiteDirectory sites)
    : IPublicCache
{
    private readonly HashSet<Guid> _changedSiteIds = [];
    private readonly HashSet<string> _changedSiteKeys = [];
    private readonly Dictionary<Guid, HashSet<Guid>> _changedArticles = [];

    public void ArticleChanged(Guid siteId, Guid articleId)
    {
        if (!_changedArticles.TryGetValue(siteId, out var articles))
        {
            _changedArticles[siteId] = articles = [];
        }

        articles.Add(articleId);
    }

    public void SiteChanged(Guid siteId) => _changedSiteIds.Add(siteId);

    public void SiteChanged(string siteKey) => _changedSiteKeys.Add(siteKey);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_changedSiteIds.Count + _changedSiteKeys.Count + _changedArticles.Count == 0)
        {
            return;
        }

        var ids = _changedSiteIds.Concat(_changedArticles.Keys).ToList();
        var keys = await db.Sites.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Key, cancellationToken);
        var tags = new HashSet<string>();
        foreach (var key in _changedSiteKeys.Concat(_changedSiteIds.Where(keys.ContainsKey).Select(id => keys[id])))
        {
            tags.Add(CacheTags.Site(key));
            sites.Forget(key);
        }

        foreach (var (siteId, articles) in _changedArticles)
        {
            if (keys.TryGetValue(siteId, out var key))
            {
                tags.Add(CacheTags.Lists(key));
            }

            tags.UnionWith(articles.Select(CacheTags.Article));
        }

        generation.Advance();
        foreach (var tag in tags)
        {
            await store.EvictByTagAsync(tag, cancellationToken);
        }

        _changedSiteIds.Clear();
        _changedSiteKeys.Clear();
        _changedArticles.Clear();
    }
}
