using Daxdi.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// Sites by key, from the store, kept in memory for <see cref="FoundFor"/> (and unknown keys for
/// <see cref="MissingFor"/>, so probing random site keys costs no queries). A change on this node forgets the entry
/// at once; other nodes see it when the entry expires.
/// </summary>
internal sealed class SiteDirectory(IDaxdiDbContext db, IMemoryCache cache) : ISiteDirectory
{
    private static readonly TimeSpan FoundFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MissingFor = TimeSpan.FromSeconds(5);

    public async ValueTask<SiteInfo?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey(key), out SiteInfo? known))
        {
            return known;
        }

        var site = await db.Sites.AsNoTracking().Where(s => s.Key == key).FirstOrDefaultAsync(cancellationToken);
        var info = site is null ? null : new SiteInfo(site.Id, site.Key, site.CorsOrigins, site.DefaultLanguage);
        cache.Set(CacheKey(key), info, info is null ? MissingFor : FoundFor);
        return info;
    }

    public void Forget(string key) => cache.Remove(CacheKey(key));

    private static string CacheKey(string key) => $"site-directory:{key}";
}
