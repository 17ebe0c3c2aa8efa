using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Daxdi.Api.Endpoints;

/// <summary>Liveness (the process answers) and readiness (the store answers), for orchestrators and load balancers.</summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
    }
}
