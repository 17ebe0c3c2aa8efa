using System.Globalization;

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
        int? duration = null;
        int? warmUp = null;
        var connections = 32;
        string? outFile = null;
        var dataDir = Path.Combine(repositoryRoot, "tests", "Daxdi.Benchmarks", "data");
        var quick = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number(int min) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n
                : throw new ArgumentException($"{args[i - 1]} needs a whole number of at least {min}.");
            switch (args[i])
            {
                case "--articles": articles.Add(Number(100)); break;
                case "--duration": duration = Number(1); break;
                case "--connections": connections = Number(1); break;
                case "--warmup": warmUp = Number(0); break;
                case "--out": outFile = Path.GetFullPath(Value()); break;
                case "--data": dataDir = Path.GetFullPath(Value()); break;
                case "--quick": quick = true; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        if (articles.Count == 0)
        {
            articles.AddRange(quick ? [2000] : [10_000, 100_000]);
        }

        return new Options([.. articles.Distinct()], duration ?? (quick ? 3 : 10), connections, outFile, dataDir,
            warmUp ?? (quick ? 10 : 30));
    }
}
