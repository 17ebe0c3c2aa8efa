using System.ComponentModel.DataAnnotations;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>Configuration section <c>Bitcoin:Monitor</c>: how the chain monitor polls, and the lease that lets one node do it.</summary>
public sealed class ChainMonitorOptions : IValidatableObject
{
    public const string Section = "Bitcoin:Monitor";

    /// <summary>Whether this process runs the monitor (and so takes part in the lease). Off, intents on it neither progress nor expire.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between the end of one poll and the start of the next.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 30;

    /// <summary>
    /// How long the lease lasts when taken or renewed: after a holder stops (or stalls), another node takes over within
    /// this. It is renewed at every poll and during long ones, so it must outlast at least two polls' waits.
    /// </summary>
    [Range(10, 86400)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Watched intents read per query; a poll pages through all of them.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollSeconds);

    public TimeSpan LeaseDuration => TimeSpan.FromSeconds(LeaseSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseSeconds < 2 * PollSeconds)
        {
            yield return new ValidationResult("must be at least twice PollSeconds, or the lease runs out between two polls of its holder.",
                [nameof(LeaseSeconds)]);
        }
    }
}
