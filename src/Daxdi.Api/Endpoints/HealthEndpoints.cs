using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Daxdi.Api.Endpoints;

/// <summary>Liveness (the process answers) and readiness (the store answers and takes writes), for orchestrators and load balancers.</summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteAsync,
        });
    }

    /// <summary>The status as plain text, then one line per failing check saying why (<c>store-writes: Writes fail: …</c>).</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"\n{e.Key}: {e.Value.Description ?? e.Value.Exception?.GetType().Name ?? "failed"}");
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(report.Status + string.Concat(failing));
    }
}
