using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Infrastructure.Startup;

namespace Daxdi.Api.Hosting;

/// <summary>One fixed-window limit (<c>RateLimits:{Policy}</c>).</summary>
public sealed class RateLimitRule
{
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; }

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>Configuration section <c>RateLimits</c>: one rule per named policy.</summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "RateLimits";

    /// <summary>Admin API, per credential.</summary>
    public RateLimitRule Admin { get; set; } = new() { PermitLimit = 600, WindowSeconds = 60 };

    /// <summary>Consent decisions posted by banners, per client address (a household or office shares one).</summary>
    public RateLimitRule Consent { get; set; } = new() { PermitLimit = 120, WindowSeconds = 60 };

    /// <summary>Payment intents created by frontends, per client address.</summary>
    public RateLimitRule PaymentIntents { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    /// <summary>Failed authentications (no, bad or revoked credential), per client address.</summary>
    public RateLimitRule FailedAuthentication { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, rule) in new[] { ("Admin", Admin), ("Consent", Consent), ("PaymentIntents", PaymentIntents), ("FailedAuthentication", FailedAuthentication) })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(rule, new ValidationContext(rule), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => $"{name}:{m}"));
            }
        }
    }
}

/// <summary>
/// ASP.NET Core rate limiter with one problem-details 429 (with <c>Retry-After</c>) for every policy.
/// Endpoints opt in by policy name; later issues add the public and visitor policies.
/// </summary>
public static class RateLimiting
{
    public const string AdminPolicy = "admin";

    /// <summary>Visitors' consent decisions, per client address.</summary>
    public const string ConsentPolicy = "consent";

    /// <summary>Payment intents created by frontends, per client address.</summary>
    public const string PaymentIntentsPolicy = "payment-intents";

    public static IServiceCollection AddDaxdiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = StartupOptions.Read<RateLimitOptions>(configuration, RateLimitOptions.Section);
        services.AddSingleton(new FailedAuthenticationLimiter(limits.FailedAuthentication));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? (int)Math.Ceiling(wait.TotalSeconds)
                    : limits.Admin.WindowSeconds;
                await WriteTooManyRequestsAsync(context.HttpContext, retryAfter, "Rate limit exceeded");
            };
            o.AddPolicy(AdminPolicy, http => FixedWindow(PartitionKey(http), limits.Admin));
            o.AddPolicy(ConsentPolicy, http => FixedWindow(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", limits.Consent));
            o.AddPolicy(PaymentIntentsPolicy, http => FixedWindow(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", limits.PaymentIntents));
        });
        return services;
    }

    /// <summary>429 with <c>Retry-After</c> (whole seconds), for every limit of the API.</summary>
    public static Task WriteTooManyRequestsAsync(HttpContext http, int retryAfterSeconds, string what)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.WriteAsync(http, StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
            "Too many requests", $"{what}; retry after {retryAfterSeconds} s.");
    }

    /// <summary>The caller's credential when authenticated, otherwise the client address.</summary>
    private static string PartitionKey(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.User.Identity?.Name
        ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> FixedWindow(string key, RateLimitRule rule) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = rule.PermitLimit,
            Window = TimeSpan.FromSeconds(rule.WindowSeconds),
            QueueLimit = 0,
        });
}
