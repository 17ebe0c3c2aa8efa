namespace Daxdi.Application.Common;

/// <summary>
/// Timestamps at millisecond precision. Stores keep different precisions (PostgreSQL microseconds, .NET 100 ns);
/// cutting to milliseconds first means a response shows exactly what a later read of the same row returns.
/// </summary>
public static class Clock
{
    public static DateTime UtcNow(this TimeProvider clock) => Normalize(clock.GetUtcNow().UtcDateTime);

    /// <summary>UTC, whole milliseconds. A time sent without an offset is taken as UTC, never as the server's zone.</summary>
    public static DateTime Normalize(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }
}
