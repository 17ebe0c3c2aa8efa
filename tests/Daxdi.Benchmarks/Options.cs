namespace Daxdi.Benchmarks;

/// <summary>Command-line options; see <see cref="Usage"/>.</summary>
internal sealed record Options(IReadOnlyList<int> Articles, int DurationSeconds, int Connections, string? OutFile, string DataDir, int WarmUpSeconds)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Daxdi.Benchmarks -- [options]
          --articles N     article count to seed and measure; repeatable (default: 10000 and 100000)
          --duration S     seconds per measured wrk run (default: 10)
          --connections C  wrk connections (default: 32)
          --out FILE       also write the markdown report to FILE
          --data DIR       where the seeded SQLite files and server logs go (default: tests/Daxdi.Benchmarks/data);
                           a complete file for the same N is reused
          --warmup S       seconds of load on each fresh server process before measuring (default: 30)
          --quick          development run: 2000 articles, 3 s per run, 10 s process warm-up (explicit options win)

        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- hostile-bodies [--out FILE]
          the server CPU that the worst article bodies within the limits cost (docs/performance.md)

        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- webhooks [--events N] [--saves N] [--out FILE]
          the dispatcher's deliveries per second draining N outbox events (default 10000) to a local receiver, and the
          server CPU of an article save with one subscription against none (N saves per round, default 300)
        """ + Ingest.Usage + "\n" + ConsentLoad.Usage + "\n" + IntentLoad.Usage + "\n" + SimilarityLoad.Usage + "\n" + CrashHarness.Usage + "\n" + StoreOutage.Usage + "\n" + Soak.Usage + "\n" + Backpressure.Usage;

    public static Options Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var articles = new List<int>();
        var (duration, warmUp, connections, outFile, quick) = ((int?)null, (int?)null, 32, (string?)null, false);
        var dataDir = Path.Combine(repositoryRoot, "tests", "Daxdi.Benchmarks", "data");
        new CommandLine()
            .Number("--articles", 100, articles.Add)
            .Number("--duration", 1, n => duration = n)
            .Number("--connections", 1, n => connections = n)
            .Number("--warmup", 0, n => warmUp = n)
            .File("--out", f => outFile = f)
            .File("--data", f => dataDir = f)
            .Flag("--quick", () => quick = true)
            .Parse(args);

        if (articles.Count == 0)
        {
            articles.AddRange(quick ? [2000] : [10_000, 100_000]);
        }

        return new Options([.. articles.Distinct()], duration ?? (quick ? 3 : 10), connections, outFile, dataDir,
            warmUp ?? (quick ? 10 : 30));
    }
}
