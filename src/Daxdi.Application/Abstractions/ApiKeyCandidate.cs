using Daxdi.Domain.Security;

namespace Daxdi.Application.Abstractions;

/// <summary>A stored API key that a presented key may be (same prefix, not revoked), as authentication reads it.</summary>
/// <param name="SiteKey">For author keys: the key of the site the key is bound to, <c>null</c> when it was deleted.</param>
/// <param name="AuthorSlug">For author keys: the slug of the author profile, <c>null</c> when it was deleted.</param>
public sealed record ApiKeyCandidate(Guid Id, byte[] SecretHash, ApiRole Role, DateTime? LastUsedAt, string? SiteKey, string? AuthorSlug);
