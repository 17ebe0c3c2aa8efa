using System.ComponentModel.DataAnnotations;
using Daxdi.Application.Features.Articles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Publishing;

/// <summary>Configuration section <c>Publishing</c>.</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>Whether this process runs the scheduled publisher. Every node may: they never publish an article twice.</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often to look for due articles; an article goes live at most this long after its time.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 15;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Runs <see cref="ScheduledPublisher"/> at start-up and then every <see cref="PublishingOptions.PollSeconds"/>,
/// on the injected <see cref="TimeProvider"/> so tests can move time.
/// </summary>
public sealed partial class ScheduledPublishingService(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<PublishingOptions> options, ILogger<ScheduledPublishingService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.PollSeconds), clock);
        do
        {
            await RunOnceAsync(settings.BatchSize, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunOnceAsync(int batchSize, CancellationToken stoppingToken)
    {
        try
        {
            int published;
            do
            {
                await using var scope = scopes.CreateAsyncScope();
                published = await scope.ServiceProvider.GetRequiredService<ScheduledPublisher>().PublishDueAsync(batchSize, stoppingToken);
            }
            while (published == batchSize && !stoppingToken.IsCancellationRequested);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store may be briefly unavailable; the next tick tries again and nothing scheduled is lost.
            LogFailed(e);
        }
    }

    [LoggerMessage(LogLevel.Error, "Scheduled publishing failed; retrying on the next tick")]
    private partial void LogFailed(Exception exception);
}
