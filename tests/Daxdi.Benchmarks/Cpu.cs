using System.Diagnostics;
using System.Globalization;

namespace Daxdi.Benchmarks;

/// <summary>
/// CPU accounting from /proc, in clock ticks (1/100 s). A benchmark on a shared machine is only as good as the CPU
/// it had, so the report says how much of it other processes took.
/// </summary>
internal static class Cpu
{
    private const int TicksPerSecond = 100;

    public const double MillisecondsPerTick = 1000.0 / TicksPerSecond;

    public static string Model() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? "unknown CPU";

    /// <summary>How busy the whole machine is over <paramref name="period"/>, in percent of all cores.</summary>
    public static async Task<double> BusyPercentAsync(TimeSpan period)
    {
        var (busy, total) = MachineTicks();
        await Task.Delay(period);
        var (busyAfter, totalAfter) = MachineTicks();
        return totalAfter == total ? 0 : 100.0 * (busyAfter - busy) / (totalAfter - total);
    }

    /// <summary>User plus system time of a process; with <paramref name="children"/>, also of its reaped children (wrk).</summary>
    public static long ProcessTicks(int pid, bool children = false)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which may contain spaces: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return Field(14) + Field(15) + (children ? Field(16) + Field(17) : 0);
    }

    /// <summary>Starts measuring the CPU used by processes other than this program, its children and <paramref name="serverPid"/>.</summary>
    public static Func<double> MeasureOthers(int serverPid)
    {
        var clock = Stopwatch.StartNew();
        var machine = MachineTicks().Busy;
        var ours = ProcessTicks(Environment.ProcessId, children: true) + ProcessTicks(serverPid);
        return () =>
        {
            var others = MachineTicks().Busy - machine - (ProcessTicks(Environment.ProcessId, children: true) + ProcessTicks(serverPid) - ours);
            return Math.Max(0, 100.0 * others / (clock.Elapsed.TotalSeconds * TicksPerSecond * Environment.ProcessorCount));
        };
    }

    private static (long Busy, long Total) MachineTicks()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks.Sum();
        return (total - ticks[3] - ticks[4], total);
    }
}
