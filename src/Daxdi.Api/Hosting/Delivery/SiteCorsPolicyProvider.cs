using Daxdi.Application.Abstractions;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Daxdi.Api.Hosting.Delivery;

/// <summary>
/// CORS for public endpoints: each site's configured origins may call that site's endpoints from a browser;
/// every other origin gets no CORS headers (and the browser blocks the read).
/// </summary>
public sealed class SiteCorsPolicyProvider(DefaultCorsPolicyProvider fallback) : ICorsPolicyProvider
{
    public const string PolicyName = "site-origins";

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (policyName != PolicyName)
        {
            return await fallback.GetPolicyAsync(context, policyName);
        }

        var key = context.GetRouteValue("site") as string;
        var site = key is null
            ? null
            : await context.RequestServices.GetRequiredService<ISiteDirectory>().FindAsync(key, context.RequestAborted);
        var policy = new CorsPolicyBuilder()
            // POST for the consent banner; the delivery routes answer only GET and HEAD anyway.
            .WithMethods(HttpMethods.Get, HttpMethods.Head, HttpMethods.Post)
            .AllowAnyHeader()
            .WithExposedHeaders("ETag")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        return site is { CorsOrigins.Count: > 0 } ? policy.WithOrigins([.. site.CorsOrigins]).Build() : policy.Build();
    }
}
