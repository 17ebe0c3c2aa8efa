using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Security;

namespace Daxdi.Application.Features.ApiKeys;

/// <summary>An API key as listed: never the secret.</summary>
public sealed record ApiKeyDto : IVersioned
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid Id { get; init; }

    /// <summary>What the key is for.</summary>
    /// <example>ci</example>
    public required string Name { get; init; }

    /// <summary>The one role this key carries.</summary>
    public required ApiRole Role { get; init; }

    /// <summary>The first characters of the key, to recognise it. Not enough to use it.</summary>
    /// <example>dx_4fGh7KqZ2</example>
    public required string Prefix { get; init; }

    /// <summary>For <c>author</c> keys: the one site the key acts in (<c>null</c> once that site is deleted).</summary>
    public required string? Site { get; init; }

    /// <summary>For <c>author</c> keys: the author profile the key acts as, as it is named now (<c>null</c> once deleted).</summary>
    public required string? AuthorSlug { get; init; }

    public required DateTime CreatedAt { get; init; }

    /// <summary>Last successful authentication (refreshed at most once a minute).</summary>
    public DateTime? LastUsedAt { get; init; }

    /// <summary>When the key was revoked; revoked keys no longer authenticate.</summary>
    public DateTime? RevokedAt { get; init; }

    /// <summary>Concurrency version; also sent as the <c>ETag</c> header.</summary>
    /// <example>1</example>
    public required int Version { get; init; }

    /// <summary>Keys as DTOs in one query, the author binding named as it is now.</summary>
    internal static IQueryable<ApiKeyDto> Project(IQueryable<ApiKey> keys, IDaxdiDbContext db) => keys.Select(k => new ApiKeyDto
    {
        Id = k.Id, Name = k.Name, Role = k.Role, Prefix = k.Prefix,
        Site = db.Sites.Where(s => s.Id == k.SiteId).Select(s => s.Key).FirstOrDefault(),
        AuthorSlug = db.TaxonomyTerms.Where(t => t.Id == k.AuthorId).Select(t => t.Slug).FirstOrDefault(),
        CreatedAt = k.CreatedAt, LastUsedAt = k.LastUsedAt, RevokedAt = k.RevokedAt, Version = k.Version,
    });
}
