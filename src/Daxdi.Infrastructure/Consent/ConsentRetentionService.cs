using System.ComponentModel.DataAnnotations;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Consent;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Consent;

/// <summary>Configuration section <c>ConsentRetention</c>: how long consent records keep their personal fields.</summary>
public sealed class ConsentRetentionOptions
{
    public const string Section = "ConsentRetention";

    /// <summary>Whether this process runs the job. Any number of nodes may: each batch holds its site's lock.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Records older than this lose their personal fields (the proof stays, anonymous). Five years by default: as long
    /// as a claim about the processing the consent covered can usually be brought; set it to the publisher's policy.
    /// </summary>
    [Range(30, 3650)]
    public int RetentionDays { get; set; } = 1825;

    [Range(1, 1440)]
    public int IntervalMinutes { get; set; } = 60;
}

/// <summary>
/// Applies the retention of consent records every <see cref="ConsentRetentionOptions.IntervalMinutes"/>, on the
/// injected <see cref="TimeProvider"/>: per site, <see cref="EraseExpiredConsentRecords"/> commands of 500 records until
/// none is left past the retention.
/// </summary>
public sealed partial class ConsentRetentionService(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<ConsentRetentionOptions> options, ILogger<ConsentRetentionService> logger)
    : BackgroundService
{
    private const int RecordsPerBatch = 500;

    /// <summary>Runs the retention once over every site; returns how many records were erased.</summary>
    public static async Task<int> EraseAllAsync(ISender sender, ConsentRetentionOptions settings, DateTime now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-settings.RetentionDays);
        var erased = 0;
        foreach (var site in await sender.Send(new ListSitesWithExpiredConsent(cutoff), cancellationToken))
        {
            int batch;
            do
            {
                batch = await sender.Send(new EraseExpiredConsentRecords(site, cutoff, RecordsPerBatch), cancellationToken);
                erased += batch;
            }
            while (batch == RecordsPerBatch);
        }

        return erased;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(settings.IntervalMinutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var erased = await EraseAllAsync(scope.ServiceProvider.GetRequiredService<ISender>(), settings, clock.UtcNow(), stoppingToken);
                if (erased > 0)
                {
                    LogErased(erased);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be briefly unavailable; the next run erases what this one left.
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Erased the personal fields of {Count} consent record(s) past retention")]
    private partial void LogErased(int count);

    [LoggerMessage(LogLevel.Error, "The consent retention job failed; retrying on the next run")]
    private partial void LogFailed(Exception exception);
}
