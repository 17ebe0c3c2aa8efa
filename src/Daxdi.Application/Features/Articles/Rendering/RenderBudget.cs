using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Daxdi.Application.Features.Articles.Rendering;

/// <summary>
/// The CPU time one body may take to render, and the request's cancellation. Structural limits keep real articles far
/// below it; it is the bound for what they cannot foresee: Markdig's inline and block parsers are quadratic on some
/// inputs (<c>![a](</c> × 50,000 took 42 s) and no input limit short of tiny paragraphs prevents that. The renderer
/// calls <see cref="Check"/> from the parsers' loops, so the work stops within a few milliseconds of the budget.
/// <para>
/// Measured on the rendering thread's own CPU clock where the OS has one (Linux), so a busy server does not refuse a
/// body that an idle one accepts; elsewhere on the wall clock.
/// </para>
/// </summary>
public sealed partial class RenderBudget
{
    /// <summary>
    /// CPU time a body may take to render, in milliseconds. 64 KiB of prose takes under 10 ms, the densest 64 KiB of
    /// markup about 50 ms; with the rest of the request (JSON, revision, store) a refused body costs about 90 ms.
    /// </summary>
    public const int MaxMilliseconds = 80;

    private const int ChecksBetweenClockReads = 32;

    private readonly CancellationToken _cancellationToken;
    private readonly long _deadline;
    private int _calls;

    public RenderBudget(CancellationToken cancellationToken, int milliseconds = MaxMilliseconds)
    {
        _cancellationToken = cancellationToken;
        _deadline = Now() + (long)milliseconds * 1_000_000;
    }

    /// <exception cref="MarkupLimitException">The budget is spent.</exception>
    /// <exception cref="OperationCanceledException">The request was aborted.</exception>
    public void Check()
    {
        if (++_calls % ChecksBetweenClockReads != 0)
        {
            return;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        if (Now() > _deadline)
        {
            throw new MarkupLimitException(MarkupLimit.Time);
        }
    }

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>
    /// Decided once, so a budget's deadline and its checks use the same clock. A system without a loadable libc (or
    /// without the clock) uses the wall clock rather than failing every render.
    /// </summary>
    private static readonly bool HasThreadClock = ProbeThreadClock();

    /// <summary>Nanoseconds on the thread's CPU clock, or on the wall clock where there is none.</summary>
    private static long Now()
    {
        if (HasThreadClock && ClockGetTime(ThreadCpuClock, out var time) == 0)
        {
            return time.Seconds * 1_000_000_000 + time.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
    }

    private static bool ProbeThreadClock()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return ClockGetTime(ThreadCpuClock, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
