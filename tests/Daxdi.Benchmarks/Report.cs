using System.Globalization;
using System.Text;

namespace Daxdi.Benchmarks;

/// <summary>One measured scenario, with the share of the CPU that other processes used meanwhile.</summary>
internal sealed record Measurement(string Scenario, bool Cache, WrkResult Result, double OthersCpuPercent);

/// <summary>Everything measured for one article count.</summary>
internal sealed class SizeResult(int articles, TimeSpan? seedTime, ScenarioSet scenarios)
{
    public int Articles => articles;

    public TimeSpan? SeedTime => seedTime;

    public ScenarioSet Scenarios => scenarios;

    public List<Measurement> Runs { get; } = [];

    /// <summary>Peak RSS of the API process per output-cache setting.</summary>
    public Dictionary<bool, double> PeakRssMb { get; } = [];

    /// <summary>Anything the reader must know: failed sanity checks, errors in the API's log.</summary>
    public List<string> Notes { get; } = [];

    public WrkResult? Find(string scenario, bool cache) => Runs.Find(r => r.Scenario == scenario && r.Cache == cache)?.Result;
}

/// <summary>The markdown report.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Markdown(string machine, string command, string load, (double RequestsPerSecond, double OthersCpuPercent) ceilingRun,
        IReadOnlyList<SizeResult> sizes)
    {
        var ceiling = ceilingRun.RequestsPerSecond;
        var md = new StringBuilder();
        md.AppendLine("# Daxdi delivery benchmark").AppendLine()
            .AppendLine(Invariant, $"- Machine: {machine}")
            .AppendLine(Invariant, $"- Command: `{command}`")
            .AppendLine(Invariant, $"- Load: {load}; wrk runs on the same machine as the server")
            .AppendLine(string.Create(Invariant, $"- Ceiling (minimal Kestrel app, fixed 1 KB JSON): {ceiling:N0} req/s; CPU used by other processes meanwhile: {ceilingRun.OthersCpuPercent:0} %")
                + (ceilingRun.OthersCpuPercent > 10 ? " — **unreliable**, and so is every % of ceiling below" : ""));
        foreach (var size in sizes)
        {
            md.AppendLine().AppendLine(Invariant, $"## {size.Articles:N0} articles").AppendLine()
                .AppendLine("| scenario | output cache | req/s | p50 | p99 | errors | % of ceiling | server CPU per request |")
                .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var run in size.Runs)
            {
                var r = run.Result;
                md.AppendLine(Invariant,
                    $"| {run.Scenario} | {(run.Cache ? "on" : "off")} | {r.RequestsPerSecond:N0} | {Ms(r.P50Ms)} | {Ms(r.P99Ms)} | {r.Errors:N0} | {r.RequestsPerSecond / ceiling * 100:0} % | {r.ServerCpuMs:0.000} ms |");
            }

            md.AppendLine()
                .AppendLine(Invariant, $"- Ceiling: {ceiling:N0} req/s")
                .AppendLine(Invariant, $"- API peak RSS (VmHWM): {Rss(size, true)} with the output cache, {Rss(size, false)} without")
                .AppendLine(Invariant, $"- Deep page (cursor at article {size.Scenarios.DeepPosition:N0}) p50 ÷ page-1 p50: {DeepRatio(size, false)} without the output cache, {DeepRatio(size, true)} with it")
                .AppendLine(Invariant, $"- Search: {size.Scenarios.SearchCoverage}; recommendations and slug reads rotate over 1 000 articles")
                .AppendLine(Invariant, $"- CPU used by other processes during the runs: {Others(size)}")
                .AppendLine(size.SeedTime is { } t ? string.Create(Invariant, $"- Seeding took {t.TotalSeconds:N0} s") : "- Seeding: reused an existing file")
                .AppendLine(Invariant, $"- Targets (set for 100 000 articles on 2 cores): {Targets(size, ceiling)}");
            foreach (var run in size.Runs.Where(r => r.Result.Errors > 0))
            {
                md.AppendLine(Invariant, $"- Errors in {run.Scenario} (output cache {(run.Cache ? "on" : "off")}): {run.Result.ErrorBreakdown}");
            }

            foreach (var note in size.Notes)
            {
                md.AppendLine(Invariant, $"- **Note:** {note}");
            }
        }

        return md.ToString();
    }

    private static string Others(SizeResult size)
    {
        var worst = size.Runs.MaxBy(r => r.OthersCpuPercent);
        return worst is null
            ? "n/a"
            : string.Create(Invariant, $"at most {worst.OthersCpuPercent:0} % ({worst.Scenario}, output cache {(worst.Cache ? "on" : "off")})")
                + (worst.OthersCpuPercent > 10 ? " — **results unreliable**: rerun on an idle machine" : "");
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", Invariant) + " ms";

    private static string Rss(SizeResult size, bool cache) =>
        size.PeakRssMb.TryGetValue(cache, out var mb) ? string.Create(Invariant, $"{mb:N0} MB") : "n/a";

    private static string DeepRatio(SizeResult size, bool cache) =>
        size.Find(ScenarioSet.Deep, cache) is { } deep && size.Find(ScenarioSet.List, cache) is { } list
            ? string.Create(Invariant, $"{deep.P50Ms / list.P50Ms:0.00}×")
            : "n/a";

    private static string Targets(SizeResult size, double ceiling)
    {
        var checks = new List<string>();
        void Check(string what, WrkResult? result, Func<WrkResult, double> value, Func<double, bool> pass, string format, string goal)
        {
            checks.Add(result is null
                ? $"{what} n/a"
                : string.Create(Invariant, $"{what} {value(result).ToString(format, Invariant)} (goal {goal}) {(pass(value(result)) ? "pass" : "FAIL")}"));
        }

        double Share(WrkResult r) => r.RequestsPerSecond / ceiling * 100;
        Check("cached slug %", size.Find(ScenarioSet.Slug, true), Share, v => v >= 50, "0", "≥ 50");
        Check("cached list %", size.Find(ScenarioSet.List, true), Share, v => v >= 50, "0", "≥ 50");
        Check("uncached slug %", size.Find(ScenarioSet.Slug, false), Share, v => v >= 15, "0", "≥ 15");
        var list = size.Find(ScenarioSet.List, false);
        Check("uncached deep/page-1", size.Find(ScenarioSet.Deep, false), d => d.P50Ms / list!.P50Ms, v => v <= 1.3, "0.00", "≤ 1.3");
        Check("uncached search p50 ms", size.Find(ScenarioSet.Search, false), r => r.P50Ms, v => v <= 20, "0.0", "≤ 20");
        var errors = size.Runs.Sum(r => r.Result.Errors);
        checks.Add(string.Create(Invariant, $"errors {errors:N0} (goal 0) {(errors == 0 ? "pass" : "FAIL")}"));
        var rss = size.PeakRssMb.Values.DefaultIfEmpty(0).Max();
        checks.Add(string.Create(Invariant, $"RSS {rss:N0} MB (goal ≤ 300) {(rss <= 300 ? "pass" : "FAIL")}"));
        return string.Join("; ", checks);
    }
}
