using System.ComponentModel.DataAnnotations;
using Daxdi.Application.Features.Articles;
using Mediator;
using Microsoft.EntityFrameworkCore;
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
/// Publishes the scheduled articles whose time has come: one <see cref="PublishDueArticle"/> command per article, so
/// each goes through the commit pipeline like an editor's publish. Safe with several processes on one database: the
/// one whose commit loses on the article's version skips it. Nothing lives in memory: a restart picks up whatever is
/// overdue.
/// </summary>
public sealed partial class DuePublisher(ISender sender, ILogger<DuePublisher> logger)
{
    /// <summary>Publishes up to <paramref name="batchSize"/> due articles; returns how many this call published.</summary>
    public async Task<int> PublishDueAsync(int batchSize, CancellationToken cancellationToken)
    {
        var published = 0;
        foreach (var id in await sender.Send(new ListDueArticles(batchSize), cancellationToken))
        {
            try
            {
                if (await sender.Send(new PublishDueArticle(id), cancellationToken))
                {
                    published++;
                    LogPublished(id);
                }
            }
            catch (DbUpdateException)
            {
                // Another process published it first (its revision or version is in the store), or an editor changed
                // it meanwhile: theirs stands.
                LogSkipped(id);
            }
        }

        return published;
    }

    [LoggerMessage(LogLevel.Information, "Published scheduled article {ArticleId}")]
    private partial void LogPublished(Guid articleId);

    [LoggerMessage(LogLevel.Information, "Scheduled article {ArticleId} was changed by another process; skipped")]
    private partial void LogSkipped(Guid articleId);
}

/// <summary>
/// Runs <see cref="DuePublisher"/> at start-up and then every <see cref="PublishingOptions.PollSeconds"/>, on the
/// injected <see cref="TimeProvider"/> so tests can move time.
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
                published = await scope.ServiceProvider.GetRequiredService<DuePublisher>().PublishDueAsync(batchSize, stoppingToken);
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
