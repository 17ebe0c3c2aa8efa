using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// Readiness of writes: unhealthy while <see cref="StoreWriteHealth"/> says the store is full, probing when a probe is
/// due and clearing the mark when the probe's write succeeds. The store's own message is logged, not shown here: this
/// endpoint needs no credential.
/// </summary>
internal sealed class StoreWritesHealthCheck(StoreWriteHealth health, DaxdiDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (health.ClaimProbe())
        {
            try
            {
                await StoreProbe.WriteAsync(db, cancellationToken);
                health.Recovered();
            }
            catch (Exception e) when (StoreErrors.IsFull(e))
            {
                health.Failed(e);
            }
        }

        return health.Current is { } failure
            ? HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                $"Writes fail: the store is full (since {failure.Since:yyyy-MM-ddTHH:mm:ssZ}). Reads still work."))
            : HealthCheckResult.Healthy("Writes are not failing.");
    }
}
