using Daxdi.Application.Common;
using Daxdi.Domain.Sites;

namespace Daxdi.Application.Features.Sites;

/// <summary>A site of the network.</summary>
public sealed record SiteDto : IVersioned
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid Id { get; init; }

    /// <summary>The site's key, used in every public route (<c>/api/v1/sites/{key}/…</c>).</summary>
    /// <example>daxdi</example>
    public required string Key { get; init; }

    /// <example>Daxdi News</example>
    public required string Name { get; init; }

    /// <summary>Primary host name of the site's frontend.</summary>
    /// <example>daxdi.example</example>
    public required string Domain { get; init; }

    /// <summary>Origins allowed to call the site's public endpoints from a browser.</summary>
    public required IReadOnlyList<string> CorsOrigins { get; init; }

    /// <summary>BCP 47 language tag used when an article does not set one.</summary>
    /// <example>en</example>
    public required string DefaultLanguage { get; init; }

    /// <summary>Concurrency version; also sent as the <c>ETag</c> header.</summary>
    /// <example>1</example>
    public required int Version { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    internal static SiteDto From(Site s) => new()
    {
        Id = s.Id, Key = s.Key, Name = s.Name, Domain = s.Domain, CorsOrigins = s.CorsOrigins,
        DefaultLanguage = s.DefaultLanguage, Version = s.Version, CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt,
    };
}
