using Microsoft.Extensions.Logging;

namespace Daxdi.Infrastructure.Persistence;

/// <summary>
/// Whether the store is refusing writes for lack of space, for readiness (<see cref="StoreWritesHealthCheck"/>). The first
/// write that fails that way, whoever made it, marks it (<see cref="StoreFullInterceptor"/>); only a write probe that
/// succeeds clears it.
/// </summary>
/// <remarks>
/// A successful save does not clear it, because a small write can still fit where an article save does not (an update
/// in place, the last free page). Nor does time: a node that readiness took out of the load balancer gets no writes to
/// learn from, and one that came back on a timer would fail its next writes. So while the mark is set, readiness itself
/// tries a write of an article's size (<see cref="StoreProbe"/>), at most every <see cref="ProbeInterval"/> however
/// often it is asked, and the node comes back on the first check after space is freed.
/// </remarks>
public sealed partial class StoreWriteHealth(TimeProvider clock, ILogger<StoreWriteHealth> logger)
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private Failure? _failure;

    /// <summary>Since when writes fail, why, and when the next probe is due.</summary>
    public sealed record Failure(DateTimeOffset Since, string Reason, DateTimeOffset NextProbe);

    /// <summary>The failure, or null while writes are not known to fail.</summary>
    public Failure? Current
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    public void Failed(Exception exception)
    {
        var reason = StoreErrors.Reason(exception);
        lock (_lock)
        {
            if (_failure is not null)
            {
                _failure = _failure with { Reason = reason };
                return;
            }

            var now = clock.GetUtcNow();
            _failure = new Failure(now, reason, now + ProbeInterval);
        }

        LogFull(reason);
    }

    public void Recovered()
    {
        lock (_lock)
        {
            if (_failure is null)
            {
                return;
            }

            _failure = null;
        }

        LogRecovered();
    }

    /// <summary>Whether a probe is due; the caller that gets true makes it, the others report the last result.</summary>
    public bool ClaimProbe()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_failure is null || now < _failure.NextProbe)
            {
                return false;
            }

            _failure = _failure with { NextProbe = now + ProbeInterval };
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The store is full: writes fail ({Reason}). Readiness reports it until a write succeeds; free space or raise the store's size limit")]
    private partial void LogFull(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The store takes writes again")]
    private partial void LogRecovered();
}
