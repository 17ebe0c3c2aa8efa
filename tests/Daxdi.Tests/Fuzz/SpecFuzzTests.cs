using System.Diagnostics;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Fuzz;

/// <summary>One fuzz run per test run, shared by the checks on its responses and on its logs.</summary>
public sealed class FuzzRun : IAsyncLifetime
{
    public const int Requests = 10_000;

    public SpecFuzzer Fuzzer { get; private set; } = null!;

    public TimeSpan Elapsed { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        Fuzzer = await SpecFuzzer.StartAsync(SpecFuzzer.SeedFromEnvironment());
        await Fuzzer.CrawlAsync(passes: 3);
        await Fuzzer.FuzzAsync(Requests, rounds: 4);
        Elapsed = clock.Elapsed;
    }

    public ValueTask DisposeAsync() => Fuzzer?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// The spec-driven fuzz run: every operation of the served OpenAPI document gets generated valid and hostile
/// requests, and every answer must be a declared, schema-valid response without internals, never a 5xx.
/// Replay a run with <c>DAXDI_FUZZ_SEED=&lt;seed&gt; dotnet test --filter SpecFuzz</c>.
/// </summary>
public sealed class SpecFuzzTests(FuzzRun run) : IClassFixture<FuzzRun>
{
    private const int MinimumPerOperation = 100;

    private readonly SpecFuzzer _fuzzer = run.Fuzzer;

    [Fact]
    public void Every_operation_answers_generated_valid_and_hostile_requests_as_its_document_declares()
    {
        var report = _fuzzer.Report();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{report.Split('\n')[0]} Took {run.Elapsed.TotalSeconds:F0} s.");
        output?.WriteLine($"Slowest request: {_fuzzer.Slowest.Time.TotalMilliseconds:F0} ms, {_fuzzer.Slowest.Request}");
        output?.WriteLine(string.Join('\n', _fuzzer.PerOperation.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            $"  {p.Key}: {p.Value} ({string.Join(", ", _fuzzer.Statuses.GetValueOrDefault(p.Key, []).Select(s => $"{s.Key} x{s.Value}"))})")));

        var starved = _fuzzer.Document.Operations.Where(o => _fuzzer.PerOperation.GetValueOrDefault(o.Id) < MinimumPerOperation).ToList();
        Assert.True(starved.Count == 0, $"Operations with fewer than {MinimumPerOperation} requests: {string.Join(", ", starved)}");
        Assert.True(_fuzzer.Sent >= FuzzRun.Requests, $"Only {_fuzzer.Sent} requests were sent; the run proves too little.");
        Assert.True(_fuzzer.FailureCount == 0, report);
    }

    [Fact]
    public void The_fuzz_run_logs_no_secret_client_address_or_query_string()
    {
        Assert.NotEmpty(_fuzzer.Api.Logs);
        LogScan.AssertClean(_fuzzer.Api, _fuzzer.Secrets);
    }
}
