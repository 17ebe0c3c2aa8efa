using System.Diagnostics;

namespace Daxdi.Api.Hosting;

/// <summary>
/// How long a new work item waits for a thread-pool thread, measured by a probe queued every
/// <see cref="Interval"/> while requests arrive. Past the CPU's capacity every queue before the middleware grows: the
/// socket engine's, Kestrel's and the thread pool's. A count of queued items misses most of that backlog (one item of
/// the socket engine carries many connections' events, and the kernel's socket buffers hold the rest); the time a new
/// item waits sees all of it, since each of those queues drains through the pool. Time the runtime spent paused for
/// garbage collection is left out: a pause holds up every thread alike and leaves no queue of its own, so counting it
/// would refuse whatever arrived during a long pause on a quiet node; the work that arrived during the pause is still
/// measured as it drains. (ADR 0015: the runs did not isolate what this changes.)
/// </summary>
public sealed class ThreadPoolDelay : IDisposable
{
    /// <summary>Time between probes. Each costs a thread-pool dispatch; they are only sent while requests arrive.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(2);

    private readonly ManualResetEventSlim _stopped = new();
    private readonly Action<TimeSpan> _probed;
    private long _queuedAt;
    private long _pausedBeforeQueued;
    private long _last;
    private int _requestsSeen;

    /// <param name="probed">Called with each probe's delay, one probe at a time; with zero while no request arrives.</param>
    public ThreadPoolDelay(Action<TimeSpan> probed)
    {
        _probed = probed;
        new Thread(Run) { IsBackground = true, Name = "Thread-pool delay probe" }.Start();
    }

    /// <summary>The wait of the last probe to run, or of the one still waiting if that is longer.</summary>
    public TimeSpan Current => TimeSpan.FromTicks(Math.Max(Volatile.Read(ref _last), Waiting()));

    /// <summary>Counts as activity: probes are sent only while requests arrive, so an idle node costs nothing.</summary>
    public void RequestArrived()
    {
        if (Volatile.Read(ref _requestsSeen) == 0)
        {
            Volatile.Write(ref _requestsSeen, 1);
        }
    }

    public void Dispose() => _stopped.Set();

    /// <summary>Time the waiting probe has waited so far, in <see cref="TimeSpan"/> ticks; 0 if none waits.</summary>
    private long Waiting()
    {
        var queuedAt = Volatile.Read(ref _queuedAt);
        return queuedAt == 0 ? 0 : Since(queuedAt, Volatile.Read(ref _pausedBeforeQueued));
    }

    private static long Since(long queuedAt, long pausedBefore) =>
        Math.Max(0, Stopwatch.GetElapsedTime(queuedAt).Ticks - (GC.GetTotalPauseDuration().Ticks - pausedBefore));

    private void Run()
    {
        while (!_stopped.Wait(Interval))
        {
            if (Volatile.Read(ref _queuedAt) != 0)
            {
                continue;
            }

            if (Interlocked.Exchange(ref _requestsSeen, 0) == 0)
            {
                // Idle: nothing waits, and a delay measured before the lull must not refuse the next request.
                Volatile.Write(ref _last, 0);
                _probed(TimeSpan.Zero);
                continue;
            }

            Volatile.Write(ref _pausedBeforeQueued, GC.GetTotalPauseDuration().Ticks);
            Volatile.Write(ref _queuedAt, Stopwatch.GetTimestamp());
            ThreadPool.UnsafeQueueUserWorkItem(static probe => probe.Ran(), this, preferLocal: false);
        }

        _stopped.Dispose();
    }

    private void Ran()
    {
        var delay = Since(Volatile.Read(ref _queuedAt), Volatile.Read(ref _pausedBeforeQueued));
        Volatile.Write(ref _last, delay);
        _probed(TimeSpan.FromTicks(delay));
        Volatile.Write(ref _queuedAt, 0);
    }
}
