using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Daxdi.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>One compiled EF query, per context type (EF binds a compiled query to the model it first runs on).</summary>
internal sealed class EfPublishedDocumentReader<TContext>(TContext db) : IPublishedDocumentReader where TContext : DaxdiDbContext
{
    private static readonly Func<TContext, Guid, string, CancellationToken, Task<ArticleDocument?>> Find =
        EF.CompileAsyncQuery<TContext, Guid, string, ArticleDocument?>((context, siteId, slug, _) => context.PublishedArticleDocuments.AsNoTracking()
            .Where(d => d.SiteId == siteId && d.Slug == slug)
            .Select(d => new ArticleDocument(d.ArticleId, new RenderedJson(d.Json, d.ETag)))
            .FirstOrDefault());

    public Task<ArticleDocument?> FindAsync(Guid siteId, string slug, CancellationToken cancellationToken) =>
        Find(db, siteId, slug, cancellationToken);
}
