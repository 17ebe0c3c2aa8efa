using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Delivery;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Common;
using Daxdi.Domain.Taxonomy;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Taxonomy;

/// <summary>
/// Delete an author, tag or section. While live articles use it the answer is 409 <c>{kind}.in_use</c>,
/// unless <paramref name="Force"/> detaches it from them first (each such article gets a new version).
/// </summary>
public sealed record DeleteTerm(string Site, TermKind Kind, string Slug, int? ExpectedVersion, bool Force) : ICommand;

public sealed class DeleteTermHandler(
    IDaxdiDbContext db, IPublicCache cache, PublishedDocuments documents, DocumentRenderSignal rendering, TimeProvider clock) : ICommandHandler<DeleteTerm>
{
    public async ValueTask<Unit> Handle(DeleteTerm command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var term = await db.TaxonomyTerms.GetBySlugAsync(site.Id, command.Kind, command.Slug, cancellationToken);
        term.EnsureVersion(command.ExpectedVersion);
        var id = term.Id;

        var inUse = await db.Articles.CountAsync(a => a.SectionId == id || a.Terms.Any(t => t.TermId == id), cancellationToken);
        if (inUse > 0 && !command.Force)
        {
            throw DomainException.Conflict($"{command.Kind.Code()}.in_use",
                $"{inUse} article(s) use this {command.Kind.Code()}. Remove it from them, or delete with ?force=true to detach it.");
        }

        // Deleted articles keep no claim on a term; live ones are detached only when forced (checked above).
        var now = clock.UtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await documents.LockAsync([site.Id], cancellationToken);
        var leftToBackground = await documents.RemoveShowingAsync(site.Id, [id], cancellationToken) > 0;
        await db.Articles.IgnoreQueryFilters()
            .Where(a => a.SectionId == id || a.Terms.Any(t => t.TermId == id))
            .ExecuteUpdateAsync(set => set
                .SetProperty(a => a.SectionId, a => a.SectionId == id ? null : a.SectionId)
                .SetProperty(a => a.Version, a => a.Version + 1)
                .SetProperty(a => a.UpdatedAt, now), cancellationToken);
        await db.ArticleTerms.Where(t => t.TermId == id).ExecuteDeleteAsync(cancellationToken);
        db.TaxonomyTerms.Remove(term);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (leftToBackground)
        {
            rendering.Raise();
        }

        cache.SiteChanged(site.Id);
        return Unit.Value;
    }
}
