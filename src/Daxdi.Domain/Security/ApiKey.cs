using Daxdi.Domain.Common;

namespace Daxdi.Domain.Security;

/// <summary>
/// A credential for the admin API. Only a hash of the secret is kept; <see cref="Prefix"/> is the
/// non-secret start of the key, used to find the row and to recognise a key in logs or a leak report.
/// </summary>
public sealed class ApiKey : Entity
{
    public const int NameMaxLength = 100;

    private ApiKey()
    {
    }

    /// <param name="author">The site and author profile of an <see cref="ApiRole.Author"/> key; <c>null</c> for every other role.</param>
    public ApiKey(string name, ApiRole role, string prefix, byte[] secretHash, AuthorBinding? author, DateTime now)
        : base(now)
    {
        if ((role == ApiRole.Author) != (author is not null))
        {
            throw new ArgumentException("An author key is bound to an author profile of one site; no other key is.", nameof(author));
        }

        Name = name;
        Role = role;
        Prefix = prefix;
        SecretHash = secretHash;
        SiteId = author?.SiteId;
        AuthorId = author?.AuthorId;
    }

    public string Name { get; private set; } = null!;

    public ApiRole Role { get; private set; }

    public string Prefix { get; private set; } = null!;

    public byte[] SecretHash { get; private set; } = null!;

    /// <summary>For the <see cref="ApiRole.Author"/> role: the one site the key may act in.</summary>
    public Guid? SiteId { get; private set; }

    /// <summary>For the <see cref="ApiRole.Author"/> role: the author profile (a term of <see cref="SiteId"/>) the key acts as.</summary>
    public Guid? AuthorId { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public void Revoke(DateTime now)
    {
        if (RevokedAt is not null)
        {
            throw DomainException.InvalidState("api_key.already_revoked", "This API key is already revoked.");
        }

        RevokedAt = now;
        Touch(now);
    }
}

/// <summary>The site and author profile an author key belongs to.</summary>
public sealed record AuthorBinding(Guid SiteId, Guid AuthorId);
