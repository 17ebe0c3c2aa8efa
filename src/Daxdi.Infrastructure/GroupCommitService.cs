using Daxdi.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Daxdi.Infrastructure;

/// <summary>
/// Commits what a <see cref="GroupCommit{TItem,TResult}"/> gathers, as many items as have arrived at a time, each
/// batch one command through the commit pipeline; then tells each waiting request how its item went. When a batch's
/// commit fails, each of its items is tried in a commit of its own, so only those the store refuses answer the error;
/// none of them was acknowledged.
/// </summary>
internal sealed class GroupCommitService<TItem, TResult>(
    GroupCommit<TItem, TResult> queue, IServiceScopeFactory scopes, ILogger<GroupCommitService<TItem, TResult>> logger)
    : BackgroundService
    where TItem : notnull
{
    private static readonly string Items = typeof(TItem).Name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<GroupCommit<TItem, TResult>.Pending> batch;
            try
            {
                batch = await queue.NextBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                Complete(batch, await CommitAsync(batch, stoppingToken));
            }
            catch (DbUpdateException e) when (batch.Count > 1)
            {
                // The store refused a row: one bad item must not fail its batch-mates, so each is tried alone. Other
                // failures (the store unreachable) would fail each item alike and fail the batch at once.
                GroupCommitLog.BatchFailed(logger, e, batch.Count, Items);
                await CommitEachAsync(batch, stoppingToken);
            }
            catch (Exception e)
            {
                GroupCommitLog.Failed(logger, e, batch.Count, Items);
                Fail(batch, e);
            }
        }
    }

    private async Task CommitEachAsync(IReadOnlyList<GroupCommit<TItem, TResult>.Pending> batch, CancellationToken stoppingToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                Complete([batch[i]], await CommitAsync([batch[i]], stoppingToken));
            }
            catch (DbUpdateException e)
            {
                GroupCommitLog.Failed(logger, e, 1, Items);
                Fail([batch[i]], e);
            }
            catch (Exception e)
            {
                GroupCommitLog.Failed(logger, e, batch.Count - i, Items);
                Fail([.. batch.Skip(i)], e);
                return;
            }
        }
    }

    private async Task<IReadOnlyList<GroupOutcome<TResult>>> CommitAsync(IReadOnlyList<GroupCommit<TItem, TResult>.Pending> batch, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(queue.CommandFor(batch), stoppingToken);
    }

    private static void Complete(IReadOnlyList<GroupCommit<TItem, TResult>.Pending> batch, IReadOnlyList<GroupOutcome<TResult>> outcomes)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Failure is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(outcomes[i].Result!);
            }
        }
    }

    private static void Fail(IReadOnlyList<GroupCommit<TItem, TResult>.Pending> batch, Exception failure)
    {
        foreach (var pending in batch)
        {
            pending.Done.TrySetException(failure);
        }
    }
}

internal static partial class GroupCommitLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing {Count} {Items} items in one commit failed; each is tried alone")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int count, string items);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing {Count} {Items} items failed; their requests answer the error")]
    public static partial void Failed(ILogger logger, Exception exception, int count, string items);
}
