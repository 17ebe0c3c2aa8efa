using Daxdi.Application.Features.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Daxdi.Infrastructure.Delivery;

/// <summary>
/// Renders the public documents that published articles lack, once at start-up and in the background: articles
/// published before the store kept documents, or written straight into the store (seeding, imports). Until then
/// their public reads are rendered on each request, so nothing waits for this.
/// </summary>
public sealed partial class DocumentBackfillService(IServiceScopeFactory scopes, ILogger<DocumentBackfillService> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Guid? after = null;
        var renderedAny = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var next = await scope.ServiceProvider.GetRequiredService<PublishedDocuments>().RenderMissingAsync(after, BatchSize, stoppingToken);
                if (next is null)
                {
                    break;
                }

                after = next;
                renderedAny = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be briefly unavailable; the batch is tried again and reads fall back meanwhile.
                LogFailed(e);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }

        if (renderedAny)
        {
            LogDone();
        }
    }

    [LoggerMessage(LogLevel.Information, "Rendered the public documents that published articles lacked")]
    private partial void LogDone();

    [LoggerMessage(LogLevel.Error, "Rendering missing public documents failed; retrying")]
    private partial void LogFailed(Exception exception);
}
