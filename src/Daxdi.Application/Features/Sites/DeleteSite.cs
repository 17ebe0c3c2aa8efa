using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Sites;

/// <summary>
/// Delete a site. Refused with 409 <c>site.has_articles</c> while it has live articles: a newsroom's work is not
/// deleted by accident. Soft-deleted articles and the site's taxonomy go with it.
/// </summary>
public sealed record DeleteSite(string Key, int? ExpectedVersion) : ICommand;

public sealed class DeleteSiteHandler(IDaxdiDbContext db, CommitPipeline commit) : ICommandHandler<DeleteSite>
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

        // Set-based, in the commit's transaction: links between rows that are all going are removed first, so no store
        // trips over the order of its cascades.
        var siteId = site.Id;
        commit.InTransaction(async ct =>
        {
            var articles = db.Articles.IgnoreQueryFilters().Where(a => a.SiteId == siteId).Select(a => a.Id);
            await db.ArticleTerms.Where(t => articles.Contains(t.ArticleId)).ExecuteDeleteAsync(ct);
            await db.ArticleRecommendations.Where(r => articles.Contains(r.ArticleId) || articles.Contains(r.RecommendedId))
                .ExecuteDeleteAsync(ct);
            await db.Articles.IgnoreQueryFilters().Where(a => a.SiteId == siteId).ExecuteDeleteAsync(ct);
            await db.TaxonomyTerms.Where(t => t.SiteId == siteId).ExecuteDeleteAsync(ct);
        });
        db.Sites.Remove(site);
        return Unit.Value;
    }
}
