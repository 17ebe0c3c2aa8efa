using Daxdi.Application.Features.Consent;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Daxdi.Infrastructure.Consent;

/// <summary>
/// Commits the decisions <see cref="ConsentAppender"/> gathers, as many as have arrived at a time, each batch one
/// <see cref="AppendConsentRecords"/> command through the commit pipeline; then tells each waiting request how its
/// commit went. A failed commit fails every request of its batch, none of which was answered 201.
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
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ISender>()
                    .Send(new AppendConsentRecords([.. batch.Select(p => p.Record)]), stoppingToken);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetResult();
                }
            }
            catch (Exception e)
            {
                LogFailed(e, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetException(e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Appending {Count} consent decisions failed; their requests answer the error")]
    private partial void LogFailed(Exception exception, int count);
}
