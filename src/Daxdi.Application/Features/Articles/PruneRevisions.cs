using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Articles;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>
/// The retention job's batch (ADR 0011): for up to <paramref name="MaxArticles"/> articles after <paramref name="After"/>
/// (in id order) that have more than <paramref name="KeepLatest"/> revisions, deletes the revisions older than
/// <paramref name="KeepAllAfter"/> that <see cref="RevisionRetention"/> does not keep. Never touches the article, so no
/// version, document or cached response changes. Returns the last article looked at, or null when none was left.
/// </summary>
public sealed record PruneRevisions(Guid? After, DateTime KeepAllAfter, int KeepLatest, int MaxArticles) : ICommand<PrunedRevisions>;

/// <summary>How far a batch got, and how many revisions it deleted.</summary>
public sealed record PrunedRevisions(Guid? LastArticle, int Deleted);

public sealed class PruneRevisionsValidator : AbstractValidator<PruneRevisions>
{
    public PruneRevisionsValidator()
    {
        RuleFor(c => c.KeepLatest).GreaterThanOrEqualTo(1);
        RuleFor(c => c.MaxArticles).InclusiveBetween(1, 1000);
    }
}

public sealed class PruneRevisionsHandler(IDaxdiDbContext db, CommitPipeline commit) : ICommandHandler<PruneRevisions, PrunedRevisions>
{
    public async ValueTask<PrunedRevisions> Handle(PruneRevisions command, CancellationToken cancellationToken)
    {
        var start = command.After ?? Guid.Empty;
        var articles = await db.ArticleRevisions.AsNoTracking()
            .Where(r => r.ArticleId.CompareTo(start) > 0)
            .GroupBy(r => r.ArticleId)
            .Where(g => g.Count() > command.KeepLatest && g.Min(r => r.CreatedAt) < command.KeepAllAfter)
            .Select(g => g.Key).OrderBy(id => id).Take(command.MaxArticles)
            .ToListAsync(cancellationToken);
        if (articles.Count == 0)
        {
            return new PrunedRevisions(null, 0);
        }

        var stubs = await db.ArticleRevisions.AsNoTracking().Where(r => articles.Contains(r.ArticleId))
            .Select(r => new { r.ArticleId, Stub = new RevisionStub(r.Id, r.Number, r.Action, r.RestoredFrom, r.CreatedAt) })
            .ToListAsync(cancellationToken);
        List<Guid> prunable = [.. stubs.GroupBy(s => s.ArticleId)
            .SelectMany(g => RevisionRetention.Prunable([.. g.Select(s => s.Stub)], command.KeepAllAfter, command.KeepLatest))];
        foreach (var batch in prunable.Chunk(500))
        {
            commit.InTransaction(ct => db.ArticleRevisions.Where(r => batch.Contains(r.Id)).ExecuteDeleteAsync(ct));
        }

        return new PrunedRevisions(articles[^1], prunable.Count);
    }
}
