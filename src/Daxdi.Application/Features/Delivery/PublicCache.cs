using Daxdi.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Delivery;

/// <summary>
/// Gathers what one unit of work changed, and after the commit turns it into the cache tags to evict (looking up the
/// keys of the sites it knows by id) and forgets the changed sites in the site directory. Scoped: one per unit of work.
/// </summary>
public sealed class PublicCache(IResponseCache responses, IDaxdiDbContext db, ISiteDirectory sites) : IPublicCache
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

        await responses.EvictAsync(tags, cancellationToken);
        _changedSiteIds.Clear();
        _changedSiteKeys.Clear();
        _changedArticles.Clear();
    }
}
