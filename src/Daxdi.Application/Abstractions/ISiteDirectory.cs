namespace Daxdi.Application.Abstractions;

/// <summary>What the public endpoints need to know about a site, looked up on every request.</summary>
public sealed record SiteInfo(Guid Id, string Key, IReadOnlyList<string> CorsOrigins, string DefaultLanguage);

/// <summary>Sites by key, kept briefly in memory so public reads do not query them each time.</summary>
public interface ISiteDirectory
{
    /// <summary>The site, or <c>null</c> when no site has this key.</summary>
    ValueTask<SiteInfo?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>Forgets a site after it changed, so the next lookup reads the store.</summary>
    void Forget(string key);
}
