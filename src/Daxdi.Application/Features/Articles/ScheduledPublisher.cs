using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Daxdi.Application.Features.Articles;

/// <summary>
/// Publishes scheduled articles whose time has come. Safe with several processes on one database: each article is
/// saved with a conditional update on its version (<c>UPDATE … WHERE Id = @id AND Version = @seen</c>), so exactly one
/// process wins and the others skip it. Nothing lives in memory: a restart picks up whatever is overdue.
/// </summary>
public sealed partial class ScheduledPublisher(IDaxdiDbContext db, UnitOfWork unitOfWork, TimeProvider clock, ILogger<ScheduledPublisher> logger)
{
    /// <summary>Publishes up to <paramref name="batchSize"/> due articles; returns how many this call published.</summary>
    public async Task<int> PublishDueAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        var due = await db.Articles.AsNoTracking()
            .Where(a => a.Status == ArticleStatus.Scheduled && a.ScheduledAt <= now)
            .OrderBy(a => a.ScheduledAt).Select(a => a.Id).Take(batchSize)
            .ToListAsync(cancellationToken);

        var published = 0;
        foreach (var id in due)
        {
            try
            {
                var article = await db.Articles.Include(a => a.Terms).Include(a => a.Recommendations)
                    .FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
                if (article is null || !article.PublishIfDue(now))
                {
                    continue;
                }

                await unitOfWork.CommitAsync(cancellationToken);
                published++;
                LogPublished(id, article.Version);
            }
            catch (DbUpdateException)
            {
                // Another process published it first, or an editor changed it meanwhile: theirs stands.
                LogSkipped(id);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return published;
    }

    [LoggerMessage(LogLevel.Information, "Published scheduled article {ArticleId} (version {Version})")]
    private partial void LogPublished(Guid articleId, int version);

    [LoggerMessage(LogLevel.Information, "Scheduled article {ArticleId} was changed by another process; skipped")]
    private partial void LogSkipped(Guid articleId);
}
