using System.Collections.Concurrent;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Security;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Persistence;

/// <remarks>
/// The reads every editorial write makes, compiled once: for LINQ queries EF extracts the parameters and hashes and
/// compares the expression tree on every call before it finds the cached translation, 5.7 % of an archive import's
/// server CPU (docs/performance.md, archive ingest).
/// </remarks>
public abstract partial class DaxdiDbContext
{
    private static readonly ConcurrentDictionary<Type, CompiledWriteReads> CompiledForWrites = new();

    public ValueTask<List<ApiKeyCandidate>> ApiKeyCandidatesAsync(string prefix, CancellationToken cancellationToken) =>
        WriteReads.ApiKeyCandidates(this, prefix).ToListAsync(cancellationToken);

    public ValueTask<List<TaxonomyTerm>> SiteTermsAsync(Guid siteId, CancellationToken cancellationToken) =>
        WriteReads.SiteTerms(this, siteId).ToListAsync(cancellationToken);

    public async Task<bool> SlugTakenAsync(Guid siteId, Guid selfId, string slug, CancellationToken cancellationToken) =>
        await WriteReads.SlugInUse(this, siteId, selfId, slug, cancellationToken)
        || await WriteReads.SlugFormerlyUsed(this, siteId, selfId, slug, cancellationToken);

    private CompiledWriteReads WriteReads => CompiledForWrites.GetOrAdd(GetType(), _ => new CompiledWriteReads());

    /// <summary>One set per context type: EF binds a compiled query to the model of the context it first runs on.</summary>
    private sealed class CompiledWriteReads
    {
        public readonly Func<DaxdiDbContext, string, IAsyncEnumerable<ApiKeyCandidate>> ApiKeyCandidates =
            EF.CompileAsyncQuery((DaxdiDbContext db, string prefix) => db.Set<ApiKey>().AsNoTracking()
                .Where(k => k.Prefix == prefix && k.RevokedAt == null)
                .Select(k => new ApiKeyCandidate(k.Id, k.SecretHash, k.Role, k.LastUsedAt,
                    db.Set<Site>().Where(s => s.Id == k.SiteId).Select(s => s.Key).FirstOrDefault(),
                    db.Set<TaxonomyTerm>().Where(t => t.Id == k.AuthorId && t.SiteId == k.SiteId).Select(t => t.Slug).FirstOrDefault())));

        public readonly Func<DaxdiDbContext, Guid, IAsyncEnumerable<TaxonomyTerm>> SiteTerms =
            EF.CompileAsyncQuery((DaxdiDbContext db, Guid siteId) => db.Set<TaxonomyTerm>().AsNoTracking().Where(t => t.SiteId == siteId));

        public readonly Func<DaxdiDbContext, Guid, Guid, string, CancellationToken, Task<bool>> SlugInUse =
            EF.CompileAsyncQuery((DaxdiDbContext db, Guid siteId, Guid selfId, string slug, CancellationToken _) =>
                db.Set<Article>().IgnoreQueryFilters().Any(a => a.SiteId == siteId && a.Slug == slug && a.Id != selfId));

        public readonly Func<DaxdiDbContext, Guid, Guid, string, CancellationToken, Task<bool>> SlugFormerlyUsed =
            EF.CompileAsyncQuery((DaxdiDbContext db, Guid siteId, Guid selfId, string slug, CancellationToken _) =>
                db.Set<ArticleFormerSlug>().Any(s => s.SiteId == siteId && s.Slug == slug && s.ArticleId != selfId));
    }
}
