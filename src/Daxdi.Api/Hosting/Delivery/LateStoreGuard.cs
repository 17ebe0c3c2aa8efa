using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;

namespace Daxdi.Api.Hosting.Delivery;

/// <summary>
/// Closes the race between a slow read and a write. A read that missed the cache and queried the store before a
/// write committed can finish after the write's evictions and then store its old response, which would stay until
/// it expires. So every eviction first advances a generation; each response is tagged with the generation its
/// request began in; and a response stored under an older generation than the current one is evicted again at once.
/// Either the eviction already happened, and the store sees the newer generation, or it happens after the store and
/// removes the entry itself.
/// </summary>
public sealed class CacheGeneration
{
    private const string Prefix = "generation:";

    private long _current;

    public long Current => Interlocked.Read(ref _current);

    /// <summary>Called after a write commits and before its evictions.</summary>
    public void Advance() => Interlocked.Increment(ref _current);

    public static string Tag(long generation) => Prefix + generation.ToString(CultureInfo.InvariantCulture);

    public static bool IsTag(string tag) => tag.StartsWith(Prefix, StringComparison.Ordinal);
}

/// <summary>Tags each cacheable public response with the generation its request began in.</summary>
public sealed class GenerationTagPolicy(CacheGeneration generation) : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        context.Tags.Add(CacheGeneration.Tag(generation.Current));
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
}

/// <summary>The output cache store, evicting again what was stored under a generation that has since passed.</summary>
public sealed class GenerationCheckedStore(IOutputCacheStore inner, CacheGeneration generation) : IOutputCacheStore
{
    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) => inner.EvictByTagAsync(tag, cancellationToken);

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        await inner.SetAsync(key, value, tags, validFor, cancellationToken);
        var current = CacheGeneration.Tag(generation.Current);
        var began = tags?.FirstOrDefault(CacheGeneration.IsTag);
        if (began is not null && began != current)
        {
            await inner.EvictByTagAsync(began, cancellationToken);
        }
    }
}
