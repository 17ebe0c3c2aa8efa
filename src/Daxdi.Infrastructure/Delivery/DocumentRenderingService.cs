using Daxdi.Application.Features.Delivery;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// Renders, in the background, the public documents that published articles lack: at start-up (articles published
/// before the store kept documents, or written straight into the store), whenever a commit left some to it (a renamed
/// or deleted term), and every <see cref="SweepInterval"/> for what another node left. Until then those articles'
/// reads render per request, so nothing waits for this. Each batch is a <see cref="RenderMissingDocuments"/> command, so
/// it commits through the pipeline like any other write.
/// </summary>
public sealed partial class DocumentRenderingService(
    IServiceScopeFactory scopes, DocumentRenderSignal signal, ILogger<DocumentRenderingService> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    // Each batch is a write transaction. Back to back, they kept SQLite's write lock so busy that an editor's write,
    // retrying on its busy timeout, failed after 30 s while 25,000 documents were rendered; a pause lets it in.
    private static readonly TimeSpan PauseBetweenBatches = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RenderMissingAsync(stoppingToken);
                await signal.WaitAsync(SweepInterval, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be briefly unavailable; reads render per request meanwhile.
                LogFailed(e);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task RenderMissingAsync(CancellationToken stoppingToken)
    {
        Guid? after = null;
        var batches = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var next = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RenderMissingDocuments(after, BatchSize), stoppingToken);
            if (next is null)
            {
                break;
            }

            after = next;
            batches++;
            await Task.Delay(PauseBetweenBatches, stoppingToken);
        }

        if (batches > 0)
        {
            LogRendered(batches * BatchSize);
        }
    }

    [LoggerMessage(LogLevel.Information, "Rendered the public documents that published articles lacked (up to {Count})")]
    private partial void LogRendered(int count);

    [LoggerMessage(LogLevel.Error, "Rendering missing public documents failed; retrying")]
    private partial void LogFailed(Exception exception);
}
