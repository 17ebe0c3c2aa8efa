using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>
/// Put back the content of an earlier revision. This is a new save (a new revision marked <c>restored</c>);
/// history is never rewritten, and the workflow state and recommendations stay as they are.
/// </summary>
public sealed record RestoreRevision(Guid Id, int Number, int ExpectedVersion) : ICommand<ArticleDto>, IRetryableCommand;

public sealed class RestoreRevisionHandler(IDaxdiDbContext db, ArticleComposer composer, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<RestoreRevision, ArticleDto>
{
    public async ValueTask<ArticleDto> Handle(RestoreRevision command, CancellationToken cancellationToken)
    {
        var article = await db.Articles.GetForChangeAsync(command.Id, cancellationToken);
        await user.EnsureCanEditAsync(db, article, newAuthorIds: null, cancellationToken);
        article.EnsureVersion(command.ExpectedVersion);
        var revision = await db.FindRevisionAsync(command.Id, command.Number, cancellationToken);
        var content = revision.Snapshot.Content;

        // Taxonomy deleted since the revision is left out; a slug taken by another article since is not taken back.
        var referenced = content.AuthorIds.Concat(content.TagIds).Concat(content.SectionId is { } s ? [s] : []).ToList();
        var existing = (await db.TaxonomyTerms.Where(t => t.SiteId == article.SiteId && referenced.Contains(t.Id))
            .Select(t => t.Id).ToListAsync(cancellationToken)).ToHashSet();
        var site = await db.Sites.SingleAsync(s => s.Id == article.SiteId, cancellationToken);
        var slug = await composer.IsSlugFreeAsync(site, content.Slug, article, cancellationToken) ? content.Slug : article.Slug;
        content = content with
        {
            Slug = slug,
            AuthorIds = [.. content.AuthorIds.Where(existing.Contains)],
            TagIds = [.. content.TagIds.Where(existing.Contains)],
            SectionId = content.SectionId is { } section && existing.Contains(section) ? section : null,
        };

        await user.EnsureCanEditAsync(db, article, content.AuthorIds, cancellationToken);
        article.Restore(revision, content, user.Actor(), clock.UtcNow());
        return await ArticleDto.BuildAsync(db, article, cancellationToken);
    }
}
