using Daxdi.Application.Common;

namespace Daxdi.Application.Features.WebhookDispatch;

/// <summary>
/// When a failed delivery is tried again. The attempts of one delivery, counted from the one before:
/// <list type="number">
/// <item>at once (when the event is fanned out)</item>
/// <item>5 seconds</item>
/// <item>5 minutes</item>
/// <item>30 minutes</item>
/// <item>2 hours</item>
/// <item>5 hours</item>
/// <item>10 hours, and 10 hours again for attempts 8 to 12</item>
/// </list>
/// Twelve attempts over about 2 days and 20 hours (67 h 35 min without jitter); when the twelfth fails, the delivery
/// has failed. Each wait is stretched or shortened at random by up to 20 %, so receivers that come back after an
/// outage are not hit by every delivery at the same second. <c>docs/api/webhooks.md</c> repeats this list.
/// </summary>
public static class WebhookRetrySchedule
{
    /// <summary>How far a wait may stray from its nominal length, either way.</summary>
    public const double Jitter = 0.2;

    /// <summary>The nominal wait before each retry: entry <c>n</c> is the wait after attempt <c>n + 1</c> failed.</summary>
    public static IReadOnlyList<TimeSpan> Waits { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    /// <summary>Attempts a delivery gets in all.</summary>
    public static int MaxAttempts => Waits.Count + 1;

    /// <summary>When to try again after <paramref name="attemptsMade"/> attempts failed, or null when that was the last.</summary>
    public static DateTime? NextAttemptAt(int attemptsMade, DateTime now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsMade, 1);
        if (attemptsMade > Waits.Count)
        {
            return null;
        }

        var factor = 1 + ((Random.Shared.NextDouble() * 2) - 1) * Jitter;
        return Clock.Normalize(now + Waits[attemptsMade - 1] * factor);
    }
}
