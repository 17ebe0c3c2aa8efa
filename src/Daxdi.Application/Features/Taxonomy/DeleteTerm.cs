using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Common;
using Daxdi.Domain.Taxonomy;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Taxonomy;

/// <summary>
/// Delete an author, tag or section. While live articles use it the answer is 409 <c>{kind}.in_use</c>,
/// unless <paramref name="Force"/> detaches it from them first (each such article gets a new version and revision).
/// </summary>
public sealed record DeleteTerm(string Site, TermKind Kind, string Slug, int? ExpectedVersion, bool Force) : ICommand;

public sealed class DeleteTermHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<DeleteTerm>
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

        // Deleted articles keep no claim on a term; live ones are detached only when forced (checked above). Each
        // detachment is an ordinary change of the article: a version, a revision and, when it is live, an event.
        var articles = await db.Articles.IgnoreQueryFilters().Include(a => a.Terms).Include(a => a.Recommendations)
            .Where(a => a.SectionId == id || a.Terms.Any(t => t.TermId == id))
            .ToListAsync(cancellationToken);
        var actor = user.Actor();
        var now = clock.UtcNow();
        foreach (var article in articles)
        {
            article.DetachTerm(id, actor, now);
        }

        db.TaxonomyTerms.Remove(term);
        return Unit.Value;
    }
}
