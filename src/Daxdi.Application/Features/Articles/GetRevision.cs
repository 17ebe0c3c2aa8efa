using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>One revision of an article, with the full snapshot.</summary>
public sealed record GetRevision(Guid Id, int Number) : IQuery<RevisionDto>;

public sealed class GetRevisionHandler(IDaxdiDbContext db) : IQueryHandler<GetRevision, RevisionDto>
{
    public async ValueTask<RevisionDto> Handle(GetRevision query, CancellationToken cancellationToken)
    {
        var revision = await db.FindRevisionAsync(query.Id, query.Number, cancellationToken);
        var terms = await TermRefs.LoadAsync(db, revision.Snapshot.Content, cancellationToken);
        return new RevisionDto
        {
            Number = revision.Number, Action = revision.Action, Changes = revision.Changes, Status = revision.Snapshot.Status,
            RestoredFrom = revision.RestoredFrom, CreatedBy = revision.CreatedBy, CreatedAt = revision.CreatedAt,
            Article = new RevisionSnapshotDto(revision.Snapshot, terms),
        };
    }
}

internal static class RevisionQueries
{
    public static async Task<ArticleRevision> FindRevisionAsync(this IDaxdiDbContext db, Guid articleId, int number, CancellationToken cancellationToken)
    {
        var version = await db.Articles.Where(a => a.Id == articleId).Select(a => (int?)a.Version).FirstOrDefaultAsync(cancellationToken)
            ?? throw ArticleQueries.NotFound(articleId);

        // Revision n is the article's version n, so a number up to the current version that has no row was pruned.
        return await db.ArticleRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.ArticleId == articleId && r.Number == number, cancellationToken)
            ?? throw (number >= 1 && number <= version
                ? DomainException.NotFound("revision.pruned", $"Revision {number} of article '{articleId}' was pruned by the retention policy.")
                : DomainException.NotFound("revision.not_found", $"Article '{articleId}' has no revision {number}."));
    }
}
