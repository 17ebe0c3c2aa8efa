using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Articles;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Articles;

/// <summary>The scheduled articles whose time has come, oldest first (what the scheduler publishes next).</summary>
public sealed record ListDueArticles(int Max) : IQuery<IReadOnlyList<Guid>>;

/// <summary>
/// The scheduler publishes one due article. Safe with several processes on one database: the article is saved with a
/// conditional update on its version (<c>UPDATE … WHERE Id = @id AND Version = @seen</c>), so exactly one process
/// wins; the others' commits fail on the version and they skip it. Returns false when it was no longer due.
/// </summary>
public sealed record PublishDueArticle(Guid Id) : ICommand<bool>;

public sealed class ListDueArticlesHandler(IDaxdiDbContext db, TimeProvider clock) : IQueryHandler<ListDueArticles, IReadOnlyList<Guid>>
{
    public async ValueTask<IReadOnlyList<Guid>> Handle(ListDueArticles query, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        return await db.Articles.AsNoTracking()
            .Where(a => a.Status == ArticleStatus.Scheduled && a.ScheduledAt <= now)
            .OrderBy(a => a.ScheduledAt).Select(a => a.Id).Take(query.Max)
            .ToListAsync(cancellationToken);
    }
}

public sealed class PublishDueArticleHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<PublishDueArticle, bool>
{
    public async ValueTask<bool> Handle(PublishDueArticle command, CancellationToken cancellationToken)
    {
        var article = await db.Articles.Include(a => a.Terms).Include(a => a.Recommendations)
            .FirstOrDefaultAsync(a => a.Id == command.Id, cancellationToken);
        return article is not null && article.PublishIfDue(clock.UtcNow());
    }
}
