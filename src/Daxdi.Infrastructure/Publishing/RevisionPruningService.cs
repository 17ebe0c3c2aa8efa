using System.ComponentModel.DataAnnotations;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Publishing;

/// <summary>Configuration section <c>Revisions</c>: how long article history is kept in full (ADR 0011).</summary>
public sealed class RevisionOptions
{
    public const string Section = "Revisions";

    /// <summary>Whether this process prunes revisions. Any number of nodes may: a batch deletes only what is still there.</summary>
    public bool PruningEnabled { get; set; } = true;

    /// <summary>Every revision younger than this is kept.</summary>
    [Range(1, 3650)]
    public int KeepAllDays { get; set; } = 30;

    /// <summary>The latest revisions of each article that are kept however old they are.</summary>
    [Range(1, 1000)]
    public int KeepLatest { get; set; } = 10;

    [Range(1, 1440)]
    public int PruneIntervalMinutes { get; set; } = 60;
}

/// <summary>
/// Applies the revision retention policy every <see cref="RevisionOptions.PruneIntervalMinutes"/>, on the injected
/// <see cref="TimeProvider"/>: it sends <see cref="PruneRevisions"/> commands of 200 articles until the archive is
/// covered, pausing between them so editors' writes get the store's write lock.
/// </summary>
public sealed partial class RevisionPruningService(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<RevisionOptions> options, ILogger<RevisionPruningService> logger)
    : BackgroundService
{
    private const int ArticlesPerBatch = 200;
    private static readonly TimeSpan PauseBetweenBatches = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs the policy over the whole archive once; returns how many revisions went.</summary>
    public static async Task<int> PruneAllAsync(ISender sender, RevisionOptions settings, DateTime now, TimeSpan pause, CancellationToken cancellationToken)
    {
        var deleted = 0;
        Guid? after = null;
        do
        {
            var batch = await sender.Send(new PruneRevisions(after, now.AddDays(-settings.KeepAllDays), settings.KeepLatest, ArticlesPerBatch), cancellationToken);
            deleted += batch.Deleted;
            after = batch.LastArticle;
            if (after is not null && pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }
        while (after is not null);

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(settings.PruneIntervalMinutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var deleted = await PruneAllAsync(scope.ServiceProvider.GetRequiredService<ISender>(), settings, clock.UtcNow(), PauseBetweenBatches, stoppingToken);
                if (deleted > 0)
                {
                    LogPruned(deleted);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be briefly unavailable; the next run prunes what this one left.
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Pruned {Count} article revision(s) past the retention policy")]
    private partial void LogPruned(int count);

    [LoggerMessage(LogLevel.Error, "Pruning article revisions failed; retrying on the next run")]
    private partial void LogFailed(Exception exception);
}
