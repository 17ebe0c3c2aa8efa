using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// Keeps SQLite's query-planner statistics current: <c>PRAGMA optimize</c> at start-up and every minute, as SQLite
/// advises for long-lived connections. Without statistics the planner takes an index on (site, status) to be
/// selective and, on a large site, scans every published article to find a handful by id.
/// </summary>
/// <remarks>
/// Once a minute because a store fills fast: an archive import into a new store ran without statistics for its first
/// hour, and every save, which renders its article's public document through that lookup, read all the published
/// articles of the site (an import's server CPU per article doubled between 1,000 and 10,000 articles,
/// docs/performance.md). The pragma does nothing while the statistics are current; it analyzes a table again only
/// when its size has changed many times over since the last analysis.
/// </remarks>
public sealed partial class SqliteStatisticsService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SqliteStatisticsService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // 0x10002: look at every table and analyze those whose statistics are missing or stale, with
                // SQLite's own cap on the rows it reads, so this stays fast on a large file.
                await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().Database
                    .ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Statistics only steer the planner; the next run tries again.
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the SQLite planner statistics failed")]
    private partial void LogFailed(Exception exception);
}
