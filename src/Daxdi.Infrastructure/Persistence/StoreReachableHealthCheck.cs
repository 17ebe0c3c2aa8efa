using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// Readiness of the store: one round trip (<c>SELECT 1</c>) on a connection of the pool, without EF Core's retries, so
/// a stopped server shows within a probe. <c>CanConnectAsync</c> is not enough: Npgsql and SqlClient hand out a pooled
/// connection without asking the server, and a stopped PostgreSQL still looked reachable for 8 probes out of 10.
/// </summary>
internal sealed class StoreReachableHealthCheck(DaxdiDbContext db) : IHealthCheck
{
    private const int TimeoutSeconds = 5;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Npgsql and SqlClient: a connection of the same pool, credentials included, opened without EF Core, whose
        // retrying execution strategy made each probe of a stopped server take 3 s. SQLite (not cloneable) has no
        // retrying strategy and no server: EF Core's own connection will do.
        var own = db.Database.GetDbConnection() is ICloneable cloneable ? (DbConnection)cloneable.Clone() : null;
        try
        {
            if (own is null)
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
            }
            else
            {
                await own.OpenAsync(cancellationToken);
            }

            await using var command = (own ?? db.Database.GetDbConnection()).CreateCommand();
            command.CommandText = "SELECT 1";
            command.CommandTimeout = TimeoutSeconds;
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception goes to the health log only; this endpoint needs no credential, so the answer names no cause.
            return HealthCheckResult.Unhealthy("The store does not answer; requests that need it are refused with 503 store.unavailable.", e);
        }
        finally
        {
            if (own is null)
            {
                await db.Database.CloseConnectionAsync();
            }
            else
            {
                await own.DisposeAsync();
            }
        }
    }
}
