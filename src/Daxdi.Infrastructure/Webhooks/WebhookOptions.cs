using System.ComponentModel.DataAnnotations;

namespace Daxdi.Infrastructure.Webhooks;

/// <summary>Configuration section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>
    /// CIDR ranges that targets may resolve into although private, loopback or link-local (e.g. <c>127.0.0.0/8</c> for
    /// tests, or a newsroom's internal network). Every other such address is refused.
    /// </summary>
    public string[] AllowedPrivateNetworks { get; set; } = [];

    /// <summary>Whether this process dispatches deliveries. Every node may: each attempt is claimed by one of them.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How long one attempt may take, connection included.</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Deliveries in a row that end failed before the subscription is disabled.</summary>
    [Range(1, 1000)]
    public int DisableAfterFailures { get; set; } = 10;

    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    [Range(0, 24 * 30)]
    public int SecretOverlapHours { get; set; } = 24;

    /// <summary>How long delivered and failed deliveries (and their events and attempts) are kept.</summary>
    [Range(1, 365)]
    public int RetentionDays { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        AllowedPrivateNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => new ValidationResult($"'{n}' is not a CIDR range (like 127.0.0.0/8).", [nameof(AllowedPrivateNetworks)]));
}
