using Daxdi.Application.Abstractions;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Sites;

/// <summary>
/// Delete a site. Refused with 409 <c>site.has_articles</c> while it has live articles: a newsroom's work is not
/// deleted by accident. Soft-deleted articles and the site's taxonomy go with it.
/// </summary>
public sealed record DeleteSite(string Key, int? ExpectedVersion) : ICommand;

public sealed class DeleteSiteHandler(IDaxdiDbContext db, IPublicCache cache) : ICommandHandler<DeleteSite>
{
    public async ValueTask<Unit> Handle(DeleteSite command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.GetByKeyAsync(command.Key, cancellationToken);
        site.EnsureVersion(command.ExpectedVersion);
        var live = await db.Articles.CountAsync(a => a.SiteId == site.Id, cancellationToken);
        if (live > 0)
        {
            throw DomainException.Conflict("site.has_articles",
                $"Site '{site.Key}' has {live} article(s). Delete them first; a site's work is never deleted in passing.");
        }

        // Links between rows that are all going are removed first, so no store trips over the order of its cascades.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var articles = db.Articles.IgnoreQueryFilters().Where(a => a.SiteId == site.Id).Select(a => a.Id);
        await db.ArticleTerms.Where(t => articles.Contains(t.ArticleId)).ExecuteDeleteAsync(cancellationToken);
        await db.ArticleRecommendations.Where(r => articles.Contains(r.ArticleId) || articles.Contains(r.RecommendedId))
            .ExecuteDeleteAsync(cancellationToken);
        await db.Articles.IgnoreQueryFilters().Where(a => a.SiteId == site.Id).ExecuteDeleteAsync(cancellationToken);
        await db.TaxonomyTerms.Where(t => t.SiteId == site.Id).ExecuteDeleteAsync(cancellationToken);
        db.Sites.Remove(site);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.SiteChanged(site.Key);
        return Unit.Value;
    }
}
