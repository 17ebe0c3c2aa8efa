using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Security;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Security;

/// <summary>An API key that authenticated successfully.</summary>
/// <param name="Author">For author keys: the site and author profile, as they are named now; <c>null</c> when either was deleted.</param>
public sealed record AuthenticatedKey(Guid Id, ApiRole Role, AuthorScope? Author);

/// <summary>Checks a presented API key against the stored hashes and records when it was last used.</summary>
public sealed class ApiKeyAuthenticator(IDaxdiDbContext db, TimeProvider clock)
{
    /// <summary><c>lastUsedAt</c> is refreshed at most this often, so authentication is not a write per request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<AuthenticatedKey?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.LooksLikeKey(presentedKey))
        {
            return null;
        }

        var candidates = await db.ApiKeyCandidatesAsync(ApiKeySecret.PrefixOf(presentedKey), cancellationToken);
        var match = candidates.FirstOrDefault(c => ApiKeySecret.Matches(presentedKey, c.SecretHash));

        if (match is null)
        {
            return null;
        }

        var now = clock.UtcNow();
        if (match.LastUsedAt is null || now - match.LastUsedAt.Value >= LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == match.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        var author = match is { SiteKey: { } site, AuthorSlug: { } slug } ? new AuthorScope(site, slug) : null;
        return new AuthenticatedKey(match.Id, match.Role, author);
    }
}
