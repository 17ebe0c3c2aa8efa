using Daxdi.Application.Features.Consent;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Daxdi.Infrastructure.Consent;

/// <summary>
/// Commits the decisions <see cref="ConsentAppender"/> gathers, as many as have arrived at a time, each batch one
/// <see cref="AppendConsentRecords"/> command through the commit pipeline; then tells each waiting request how its
/// commit went. When a batch's commit fails, each of its decisions is tried in a commit of its own, so only those the
/// store refuses answer the error; none of them was answered 201.
/// </summary>
internal sealed partial class ConsentAppendingService(ConsentAppender appender, IServiceScopeFactory scopes, ILogger<ConsentAppendingService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<ConsentAppender.Pending> batch;
            try
            {
                batch = await appender.NextBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await AppendAsync(batch, stoppingToken);
                Complete(batch, null);
            }
            catch (DbUpdateException e) when (batch.Count > 1)
            {
                // The store refused a row: one bad record must not fail its batch-mates, so each is tried alone. Other
                // failures (the store unreachable) would fail each record alike and fail the batch at once.
                LogBatchFailed(e, batch.Count);
                await AppendEachAsync(batch, stoppingToken);
            }
            catch (Exception e)
            {
                LogFailed(e, batch.Count);
                Complete(batch, e);
            }
        }
    }

    private async Task AppendEachAsync(IReadOnlyList<ConsentAppender.Pending> batch, CancellationToken stoppingToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                await AppendAsync([batch[i]], stoppingToken);
                Complete([batch[i]], null);
            }
            catch (DbUpdateException e)
            {
                LogFailed(e, 1);
                Complete([batch[i]], e);
            }
            catch (Exception e)
            {
                LogFailed(e, batch.Count - i);
                Complete([.. batch.Skip(i)], e);
                return;
            }
        }
    }

    private async Task AppendAsync(IReadOnlyList<ConsentAppender.Pending> batch, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>()
            .Send(new AppendConsentRecords([.. batch.Select(p => p.Record)]), stoppingToken);
    }

    private static void Complete(IReadOnlyList<ConsentAppender.Pending> batch, Exception? failure)
    {
        foreach (var pending in batch)
        {
            if (failure is null)
            {
                pending.Committed.TrySetResult();
            }
            else
            {
                pending.Committed.TrySetException(failure);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Appending {Count} consent decisions in one commit failed; each is tried alone")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Appending {Count} consent decisions failed; their requests answer the error")]
    private partial void LogFailed(Exception exception, int count);
}
