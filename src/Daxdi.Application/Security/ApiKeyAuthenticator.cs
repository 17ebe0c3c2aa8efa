using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Security;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
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

        // Every request authenticates, so the lookup is a compiled query (see PerContextType).
        var context = (DbContext)db;
        var candidates = PerContextType<Compiled>.For(context).Candidates(context, ApiKeySecret.PrefixOf(presentedKey));
        Candidate? match = null;
        await foreach (var candidate in candidates.WithCancellation(cancellationToken))
        {
            if (match is null && ApiKeySecret.Matches(presentedKey, candidate.SecretHash))
            {
                match = candidate;
            }
        }

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

    private sealed record Candidate(Guid Id, byte[] SecretHash, ApiRole Role, DateTime? LastUsedAt, string? SiteKey, string? AuthorSlug);

    private sealed class Compiled
    {
        /// <summary>The unrevoked keys with this prefix, with the site and author profile an author key is bound to.</summary>
        public Func<DbContext, string, IAsyncEnumerable<Candidate>> Candidates { get; } =
            EF.CompileAsyncQuery((DbContext db, string prefix) => db.Set<ApiKey>().AsNoTracking()
                .Where(k => k.Prefix == prefix && k.RevokedAt == null)
                .Select(k => new Candidate(k.Id, k.SecretHash, k.Role, k.LastUsedAt,
                    db.Set<Site>().Where(s => s.Id == k.SiteId).Select(s => s.Key).FirstOrDefault(),
                    db.Set<TaxonomyTerm>().Where(t => t.Id == k.AuthorId && t.SiteId == k.SiteId).Select(t => t.Slug).FirstOrDefault())));
    }
}
