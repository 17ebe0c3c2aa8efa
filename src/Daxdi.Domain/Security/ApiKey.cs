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

    public ApiKey(string name, ApiRole role, string prefix, byte[] secretHash, string? authorSlug, DateTime now)
        : base(now)
    {
        Name = name;
        Role = role;
        Prefix = prefix;
        SecretHash = secretHash;
        AuthorSlug = authorSlug;
    }

    public string Name { get; private set; } = null!;

    public ApiRole Role { get; private set; }

    public string Prefix { get; private set; } = null!;

    public byte[] SecretHash { get; private set; } = null!;

    /// <summary>For the <see cref="ApiRole.Author"/> role: the author profile whose drafts this key may edit.</summary>
    public string? AuthorSlug { get; private set; }

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
