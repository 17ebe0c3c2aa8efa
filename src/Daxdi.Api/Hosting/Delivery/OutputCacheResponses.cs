using Daxdi.Application.Abstractions;
using Microsoft.AspNetCore.OutputCaching;

namespace Daxdi.Api.Hosting.Delivery;

/// <summary>Evicts public responses from the ASP.NET Core output cache by tag, in a new <see cref="CacheGeneration"/>.</summary>
public sealed class OutputCacheResponses(IOutputCacheStore store, CacheGeneration generation) : IResponseCache
{
    public async Task EvictAsync(IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        generation.Advance();
        foreach (var tag in tags)
        {
            await store.EvictByTagAsync(tag, cancellationToken);
        }
    }
}
