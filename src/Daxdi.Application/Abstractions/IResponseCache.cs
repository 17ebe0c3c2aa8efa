namespace Daxdi.Application.Abstractions;

/// <summary>The server's cache of public responses, evicted by <see cref="CacheTags"/>.</summary>
public interface IResponseCache
{
    /// <summary>Evicts the responses that carry any of <paramref name="tags"/>; called after a commit that changed public content.</summary>
    Task EvictAsync(IReadOnlyCollection<string> tags, CancellationToken cancellationToken);
}
