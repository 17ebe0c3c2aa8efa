using Daxdi.Domain.Security;

namespace Daxdi.Application.Abstractions;

/// <summary>Who is calling: an API key or a token subject, with one role. Anonymous callers have no role.</summary>
public interface ICurrentUser
{
    /// <summary>A stable identifier for audit fields: <c>key:{id}</c> for API keys, <c>sub:{subject}</c> for tokens.</summary>
    string? Actor { get; }

    ApiRole? Role { get; }

    /// <summary>For the author role: the one site and author profile the caller acts as (<c>null</c> if unbound).</summary>
    AuthorScope? Author { get; }
}

/// <summary>The site (by key) and author profile (by slug) an author credential belongs to.</summary>
public sealed record AuthorScope(string Site, string AuthorSlug);
