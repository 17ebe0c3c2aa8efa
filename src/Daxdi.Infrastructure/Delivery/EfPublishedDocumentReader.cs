using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Daxdi.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>Compiled EF queries, per context type (EF binds a compiled query to the model it first runs on).</summary>
internal sealed class EfPublishedDocumentReader<TContext>(TContext db) : IPublishedDocumentReader where TContext : DaxdiDbContext
{
    private static readonly Func<TContext, Guid, string, CancellationToken, Task<ArticleDocument?>> Find =
        EF.CompileAsyncQuery<TContext, Guid, string, ArticleDocument?>((context, siteId, slug, _) => context.PublishedArticleDocuments.AsNoTracking()
            .Where(d => d.SiteId == siteId && d.Slug == slug)
            .Select(d => new ArticleDocument(d.ArticleId, new RenderedJson(d.Json, d.ETag)))
            .FirstOrDefault());

    private static readonly Func<TContext, Guid, List<Guid>, IAsyncEnumerable<StoredSummary>> Summaries =
        EF.CompileAsyncQuery((TContext context, Guid siteId, List<Guid> ids) => context.PublishedArticleDocuments.AsNoTracking()
            .Where(d => ids.Contains(d.ArticleId) && d.SiteId == siteId)
            .Select(d => new StoredSummary(d.ArticleId, d.Summary)));

    public Task<ArticleDocument?> FindAsync(Guid siteId, string slug, CancellationToken cancellationToken) =>
        Find(db, siteId, slug, cancellationToken);

    public Task<Dictionary<Guid, byte[]>> SummariesAsync(Guid siteId, IReadOnlyCollection<Guid> articleIds, CancellationToken cancellationToken) =>
        Summaries(db, siteId, [.. articleIds]).ToDictionaryAsync(s => s.ArticleId, s => s.Summary, cancellationToken: cancellationToken).AsTask();

    private sealed record StoredSummary(Guid ArticleId, byte[] Summary);
}
