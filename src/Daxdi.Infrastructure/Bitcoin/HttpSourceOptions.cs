using System.ComponentModel.DataAnnotations;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>
/// How long an HTTP source (Esplora, a rate ticker) may take and how it is retried: connection failures, timeouts,
/// 408, 429 and 5xx are tried again after an exponentially growing, jittered delay, all within <see cref="TimeoutSeconds"/>.
/// Seconds are decimals (<c>0.5</c>), so tests can make them short.
/// </summary>
public abstract class HttpSourceOptions : IValidatableObject
{
    /// <summary>The most one request may take, its retries and their delays included.</summary>
    [Range(0.05, 600)]
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>The most one attempt may take before it is abandoned (and retried while time is left).</summary>
    [Range(0.02, 300)]
    public double AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>How many times a failed attempt is tried again.</summary>
    [Range(1, 10)]
    public int Retries { get; set; } = 3;

    /// <summary>The delay before the first retry; each next one doubles it (with jitter).</summary>
    [Range(0, 60)]
    public double RetryDelaySeconds { get; set; } = 1;

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeoutSeconds >= TimeoutSeconds)
        {
            yield return new ValidationResult("must be less than TimeoutSeconds, which bounds all attempts together.", [nameof(AttemptTimeoutSeconds)]);
        }
    }

    /// <summary>An absolute http or https URL, with a trailing slash so that relative paths keep its own path.</summary>
    internal static Uri? BaseAddress(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? new Uri(uri.AbsoluteUri.EndsWith('/') ? uri.AbsoluteUri : uri.AbsoluteUri + "/")
            : null;
}
