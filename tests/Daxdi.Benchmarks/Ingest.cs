using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Daxdi.Application.Security;

namespace Daxdi.Benchmarks;

/// <summary>
/// An archive import through the editorial API: the real API (Release, Kestrel on 127.0.0.1) on a fresh SQLite file,
/// a site with its authors, sections and tags, an editor key, and then several concurrent writers that each create an
/// article and publish it, until N articles are in. Reports throughput, the server's CPU per article and per write (from
/// /proc), latencies per request kind, errors, and what the store takes per article, by table and index (dbstat).
/// </summary>
internal static class Ingest
{
    public const string Command = "ingest";

    public const string Usage = """
        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- ingest [options]
          an archive import: writers create and publish articles of about 5 KB through the API (docs/performance.md)
          --articles N     articles to create and publish (default: 10000)
          --writers N      concurrent writers (default: 8)
          --warmup N       articles created and published first, not timed (default: 200)
          --two-step       create a draft, then publish it with its ETag (two requests), instead of one
                           POST …/articles?publish=true per article
          --batch N        send N articles per POST …/articles/batch?publish=true (default: 1, a single create)
          --out FILE       also write the markdown report to FILE
          --data DIR       where the SQLite file and the server log go (default: tests/Daxdi.Benchmarks/data)
          --env NAME=VALUE a setting for the API process, e.g. --env Logging__LogLevel__Default=Warning; repeatable
          --setup FILE     admin requests to send before the load, a JSON array of {"method","path","body"};
                           "{site}" in a path is the bench site's key (e.g. a webhook subscription)
          --trace FILE     record the timed load with dotnet-trace (sampled thread time) into FILE (.nettrace)
          --perf FILE      record the timed load with perf (CPU samples, call graphs) into FILE; the API gets
                           DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 so perf names managed frames
        """;

    private const string Site = "bench";

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        IngestOptions options;
        try
        {
            options = IngestOptions.Parse(args, root);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message + "\n\n" + Usage);
            return 2;
        }

        var apiFolder = await Shell.BuildApiAsync(root);
        if (apiFolder is null)
        {
            return 1;
        }

        Console.WriteLine($"Writing {options.Articles + options.WarmUp:N0} article bodies ...");
        var corpus = new Corpus();
        var warmUpBodies = IngestArticles.Bodies(corpus, options.Articles, options.WarmUp);
        var bodies = IngestArticles.Bodies(corpus, 0, options.Articles);
        var bodyBytes = bodies.Average(b => Encoding.UTF8.GetByteCount(JsonDocument.Parse(b).RootElement.GetProperty("body").GetString()!));

        Directory.CreateDirectory(options.DataDir);
        var file = Path.Combine(options.DataDir, $"ingest-{options.Articles}.db");
        foreach (var path in StoreFiles(file))
        {
            File.Delete(path);
        }

        var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
        var adminKey = ApiKeySecret.Generate();
        var port = ServerProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        // Without DOTNET_EnableWriteXorExecute=0, JIT code runs from a second mapping that the perf map does not describe.
        (string, string)[] perf = options.PerfFile is null ? [] : [("DOTNET_PerfMapEnabled", "1"), ("DOTNET_EnableWriteXorExecute", "0")];
        var info = ServerProcess.Api(apiFolder, url, $"Data Source={file}", adminKey,
            [("Seed__DemoContent", "false"), .. ServerProcess.Unlimited("Admin"), .. perf, .. options.Environment]);

        var log = Path.Combine(options.DataDir, $"ingest-{options.Articles}.log");
        Console.WriteLine($"Starting the API on {file} (log: {log}) ...");
        IngestResult result;
        using (var api = await ServerProcess.StartAsync(info, url + "/health/ready", log))
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Writers + 2 })
            {
                BaseAddress = new Uri(url),
                Timeout = TimeSpan.FromMinutes(2),
            };
            var editorKey = await SetUpAsync(http, adminKey, options.SetupFile);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", editorKey);

            Console.WriteLine($"Warming up with {options.WarmUp} articles ...");
            await LoadAsync(http, warmUpBodies, options, serverPid: null);
            await api.WaitUntilIdleAsync();

            using var recorder = Recorder.Start(options, api.Id);
            Console.WriteLine($"Creating and publishing {options.Articles:N0} articles with {options.Writers} writers ...");
            var others = Cpu.MeasureOthers(api.Id);
            var clientTicks = Cpu.ProcessTicks(Environment.ProcessId);
            var serverTicks = Cpu.ProcessTicks(api.Id);
            var clock = Stopwatch.StartNew();
            var load = await LoadAsync(http, bodies, options, api.Id);
            var wall = clock.Elapsed;
            var serverCpu = (Cpu.ProcessTicks(api.Id) - serverTicks) * Cpu.MillisecondsPerTick;
            var clientCpu = (Cpu.ProcessTicks(Environment.ProcessId) - clientTicks) * Cpu.MillisecondsPerTick;
            var othersPercent = others();
            recorder?.Stop();
            var storeAtEnd = StoreFiles(file).Where(File.Exists).Sum(f => new FileInfo(f).Length);
            result = new IngestResult(load, wall, serverCpu, clientCpu, othersPercent, storeAtEnd, api.PeakRssMb(), api.ErrorLines);
        }

        // The server is stopped: the store is read as it is left, its write-ahead log (if any) folded in by sqlite3.
        var store = await StoreBreakdown.ReadAsync(file);
        var machine = $"{await Shell.MachineAsync(root)}, CPU {busyBefore:0} % busy (other processes) just before the run{(busyBefore > 10 ? " — **results unreliable**" : "")}";
        var command = "dotnet run -c Release --project tests/Daxdi.Benchmarks -- " + string.Join(' ', args.Prepend(Command));
        var report = Report(machine, command, options, bodyBytes, result, store);
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.OutFile is not null)
        {
            await File.WriteAllTextAsync(options.OutFile, report);
            Console.WriteLine($"Written to {options.OutFile}");
        }

        return result.Load.Errors.IsEmpty ? 0 : 1;
    }

    public static IEnumerable<string> StoreFiles(string file) => [file, file + "-wal", file + "-shm", file + "-journal"];

    /// <summary>The site, its taxonomy and the requests of <paramref name="setupFile"/>, as admin; returns a new editor key.</summary>
    private static async Task<string> SetUpAsync(HttpClient http, string adminKey, string? setupFile)
    {
        async Task<JsonElement> Send(HttpMethod method, string path, object? body)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Set-up: {method} {path} answered {(int)response.StatusCode}: {text}");
            }

            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }

        await Send(HttpMethod.Post, "/api/v1/admin/sites", new { key = Site, name = "Bench Archive", domain = "bench.example", defaultLanguage = "en" });
        for (var i = 0; i < IngestArticles.Authors; i++)
        {
            await Send(HttpMethod.Post, $"/api/v1/admin/sites/{Site}/authors",
                new { name = IngestArticles.AuthorName(i), slug = IngestArticles.AuthorSlug(i), bio = "Reporter at the bench desk." });
        }

        for (var i = 0; i < IngestArticles.Sections; i++)
        {
            await Send(HttpMethod.Post, $"/api/v1/admin/sites/{Site}/sections", new { name = IngestArticles.SectionName(i), slug = IngestArticles.SectionSlug(i) });
        }

        for (var i = 0; i < IngestArticles.Tags; i++)
        {
            await Send(HttpMethod.Post, $"/api/v1/admin/sites/{Site}/tags", new { name = IngestArticles.TagName(i), slug = IngestArticles.TagSlug(i) });
        }

        if (setupFile is not null)
        {
            foreach (var step in JsonDocument.Parse(await File.ReadAllTextAsync(setupFile)).RootElement.EnumerateArray())
            {
                var method = new HttpMethod(step.GetProperty("method").GetString()!);
                var path = step.GetProperty("path").GetString()!.Replace("{site}", Site, StringComparison.Ordinal);
                await Send(method, path, step.TryGetProperty("body", out var body) ? body : null);
                Console.WriteLine($"Set-up: {method} {path}");
            }
        }

        var key = await Send(HttpMethod.Post, "/api/v1/admin/api-keys", new { name = "archive import", role = "editor" });
        return key.GetProperty("key").GetString()!;
    }

    /// <summary>
    /// Each writer takes the next article and creates it published, or (<c>--two-step</c>) creates a draft and publishes
    /// it with the ETag the create answered. With <paramref name="serverPid"/>, each tenth of the load prints its rate and
    /// the server's CPU per article, which shows whether a write costs more as the store grows.
    /// </summary>
    private static async Task<LoadResult> LoadAsync(HttpClient http, string[] bodies, IngestOptions options, int? serverPid)
    {
        var result = new LoadResult();
        var next = -1;
        var step = Math.Max(1, bodies.Length / 10);
        var clock = Stopwatch.StartNew();
        var last = (Articles: 0, Seconds: 0.0, Ticks: serverPid is { } pid ? Cpu.ProcessTicks(pid) : 0);
        var progress = new Lock();
        void Report(int published)
        {
            if (serverPid is not { } server || published % step != 0)
            {
                return;
            }

            lock (progress)
            {
                var now = (Articles: published, Seconds: clock.Elapsed.TotalSeconds, Ticks: Cpu.ProcessTicks(server));
                Console.WriteLine($"  {published,7:N0} articles  {(now.Articles - last.Articles) / (now.Seconds - last.Seconds),6:0.0}/s"
                    + $"  server CPU {(now.Ticks - last.Ticks) * Cpu.MillisecondsPerTick / (now.Articles - last.Articles),6:0.00} ms/article");
                last = now;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while (options.Batch > 1 && (i = Interlocked.Add(ref next, options.Batch) - options.Batch + 1) < bodies.Length)
            {
                var items = bodies[i..Math.Min(bodies.Length, i + options.Batch)];
                var batch = $"{{\"items\":[{string.Join(',', items.Select(b => $"{{\"article\":{b}}}"))}]}}";
                if (await result.TimeAsync(RequestKind.Batch, () => http.PostAsync($"/api/v1/admin/sites/{Site}/articles/batch?publish=true",
                        new StringContent(batch, Encoding.UTF8, "application/json"))) is not null)
                {
                    for (var n = 0; n < items.Length; n++)
                    {
                        Report(Interlocked.Increment(ref result.Published));
                    }
                }
            }

            while (options.Batch == 1 && (i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                if (!options.TwoStep)
                {
                    if (await result.TimeAsync(RequestKind.CreatePublished, () => http.PostAsync($"/api/v1/admin/sites/{Site}/articles?publish=true",
                            new StringContent(bodies[i], Encoding.UTF8, "application/json"))) is not null)
                    {
                        Report(Interlocked.Increment(ref result.Published));
                    }

                    continue;
                }

                var created = await result.TimeAsync(RequestKind.Create, () =>
                    http.PostAsync($"/api/v1/admin/sites/{Site}/articles", new StringContent(bodies[i], Encoding.UTF8, "application/json")));
                if (created is null)
                {
                    continue;
                }

                using var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/articles/{created.Value.Id}/publish");
                publish.Headers.TryAddWithoutValidation("If-Match", created.Value.ETag);
                if (await result.TimeAsync(RequestKind.Publish, () => http.SendAsync(publish)) is not null)
                {
                    Report(Interlocked.Increment(ref result.Published));
                }
            }
        })));
        return result;
    }

    private static string Report(string machine, string command, IngestOptions options, double bodyBytes, IngestResult r, StoreBreakdown store)
    {
        var articles = options.Articles;
        var writes = Enum.GetValues<RequestKind>().Sum(r.Load.Count);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}`");
        report.AppendLine(CultureInfo.InvariantCulture, $"Load: {options.Writers} writers, each creating an article (HTML body {bodyBytes / 1024:0.0} KiB on average) {(options.Batch > 1 ? $"published, {options.Batch} per batch request" : options.TwoStep ? "as a draft and publishing it with its ETag" : "published, in one request")}; {options.WarmUp} articles first as a warm-up, not timed.");
        if (options.Environment.Count > 0 || options.SetupFile is not null)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"API settings: {string.Join(", ", options.Environment.Select(e => $"`{e.Name}={e.Value}`"))}{(options.SetupFile is null ? "" : $"; set-up requests from {Path.GetFileName(options.SetupFile)}")}.");
        }

        report.AppendLine();
        report.AppendLine("| measure | value |");
        report.AppendLine("| --- | ---: |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| articles created and published | {r.Load.Published:N0} of {articles:N0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| wall time | {r.Wall.TotalSeconds:0.0} s |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| articles/s, created and published | {r.Load.Published / r.Wall.TotalSeconds:0.0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| server CPU per article | {r.ServerCpuMs / articles:0.00} ms |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| server CPU per write (request) | {r.ServerCpuMs / Math.Max(1, writes):0.00} ms |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| server CPU, share of the machine | {100 * r.ServerCpuMs / (r.Wall.TotalMilliseconds * Environment.ProcessorCount):0} % |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| client (this program) CPU per article | {r.ClientCpuMs / articles:0.00} ms |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| other processes' CPU during the load | {r.OthersPercent:0} % of the machine |");
        foreach (var kind in Enum.GetValues<RequestKind>().Where(k => r.Load.Count(k) > 0))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {kind.ToString().ToLowerInvariant()} latency p50 / p99 | {r.Load.Percentile(kind, 50):0.0} / {r.Load.Percentile(kind, 99):0.0} ms |");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"| errors | {(r.Load.Errors.IsEmpty ? "0" : string.Join(", ", r.Load.Errors.OrderBy(e => e.Key).Select(e => $"{e.Key}: {e.Value}")))} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| error entries in the API log | {r.ErrorLines} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| API peak RSS | {r.PeakRssMb:0} MB |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| store at the end of the load (db + wal + shm) | {r.StoreBytes / 1e6:0.0} MB, {r.StoreBytes / (double)store.Articles / 1024:0.0} KiB per article |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| store after the API stopped (db, checkpointed) | {store.FileBytes / 1e6:0.0} MB, {store.FileBytes / (double)store.Articles / 1024:0.0} KiB per article ({store.Articles:N0} articles, {store.Revisions:N0} revisions, {store.FreeBytes / 1e6:0.0} MB free pages) |");
        report.AppendLine();
        report.AppendLine(store.Markdown());
        return report.ToString();
    }

    private sealed record IngestResult(LoadResult Load, TimeSpan Wall, double ServerCpuMs, double ClientCpuMs, double OthersPercent,
        long StoreBytes, double PeakRssMb, int ErrorLines);

    private enum RequestKind
    {
        Batch,
        CreatePublished,
        Create,
        Publish,
    }

    /// <summary>Latencies per request kind and errors by kind and answer, collected by every writer.</summary>
    private sealed class LoadResult
    {
        public int Published;

        private readonly ConcurrentDictionary<RequestKind, ConcurrentBag<double>> _latencies = new();

        public ConcurrentDictionary<string, int> Errors { get; } = new();

        public int Count(RequestKind kind) => _latencies.TryGetValue(kind, out var all) ? all.Count : 0;

        public double Percentile(RequestKind kind, int percent)
        {
            if (!_latencies.TryGetValue(kind, out var all) || all.IsEmpty)
            {
                return double.NaN;
            }

            var sorted = all.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
        }

        /// <summary>Sends, times and checks one request; the article's id and ETag when it succeeded.</summary>
        public async Task<(string Id, string ETag)?> TimeAsync(RequestKind kind, Func<Task<HttpResponseMessage>> send)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await send();
                var body = await response.Content.ReadAsStringAsync();
                _latencies.GetOrAdd(kind, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    var code = JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : "";
                    Errors.AddOrUpdate($"{kind.ToString().ToLowerInvariant()} {(int)response.StatusCode} {code}", 1, (_, n) => n + 1);
                    return null;
                }

                var root = JsonDocument.Parse(body).RootElement;
                return root.TryGetProperty("id", out var id) ? (id.GetString()!, response.Headers.ETag?.ToString() ?? "") : ("", "");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                Errors.AddOrUpdate($"{kind.ToString().ToLowerInvariant()} {e.GetType().Name}", 1, (_, n) => n + 1);
                return null;
            }
        }
    }

    /// <summary>A profiler attached to the API for the timed load (<c>--trace</c>, <c>--perf</c>); stopped with SIGINT.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly Process _process;

        private Recorder(Process process) => _process = process;

        public static Recorder? Start(IngestOptions options, int pid)
        {
            (string File, string[] Arguments)? command = (options.TraceFile, options.PerfFile) switch
            {
                ({ } trace, _) => (DotnetTool("dotnet-trace"), ["collect", "-p", $"{pid}", "--profile", "dotnet-sampled-thread-time", "-o", trace]),
                (_, { } perf) => ("perf", ["record", "-F", "499", "-g", "-p", $"{pid}", "-o", perf]),
                _ => null,
            };
            if (command is null)
            {
                return null;
            }

            var process = Process.Start(new ProcessStartInfo(command.Value.File, command.Value.Arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            }) ?? throw new InvalidOperationException($"Could not start {command.Value.File}.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            // Both need a moment to attach; the load must not start before they record.
            Thread.Sleep(3000);
            return new Recorder(process);
        }

        public void Stop()
        {
            if (_process.HasExited)
            {
                return;
            }

            using (var interrupt = Process.Start("kill", ["-INT", $"{_process.Id}"]))
            {
                interrupt.WaitForExit();
            }

            if (!_process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                _process.Kill();
            }
        }

        public void Dispose()
        {
            Stop();
            _process.Dispose();
        }

        private static string DotnetTool(string name)
        {
            var installed = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", name);
            return File.Exists(installed) ? installed : name;
        }
    }
}

/// <summary>The options of <see cref="Ingest"/>; see <see cref="Ingest.Usage"/>.</summary>
internal sealed record IngestOptions(int Articles, int Writers, int WarmUp, bool TwoStep, int Batch, string? OutFile, string DataDir,
    IReadOnlyList<(string Name, string Value)> Environment, string? SetupFile, string? TraceFile, string? PerfFile)
{
    public static IngestOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var (articles, writers, warmUp, twoStep, batch) = (10_000, 8, 200, false, 1);
        string? outFile = null, setupFile = null, traceFile = null, perfFile = null;
        var dataDir = Path.Combine(repositoryRoot, "tests", "Daxdi.Benchmarks", "data");
        var options = new CommandLine().WithEnv()
            .Number("--articles", 1, n => articles = n)
            .Number("--writers", 1, n => writers = n)
            .Number("--warmup", 0, n => warmUp = n)
            .Flag("--two-step", () => twoStep = true)
            .Number("--batch", 1, n => batch = n)
            .File("--out", f => outFile = f)
            .File("--data", f => dataDir = f)
            .File("--setup", f => setupFile = f)
            .File("--trace", f => traceFile = f)
            .File("--perf", f => perfFile = f);
        options.Parse(args);

        if (twoStep && batch > 1)
        {
            throw new ArgumentException("--two-step and --batch are two ways to send the articles; pass one.");
        }

        if (traceFile is not null && perfFile is not null)
        {
            throw new ArgumentException("--trace and --perf each need the load to themselves; pass one.");
        }

        return new IngestOptions(articles, writers, warmUp, twoStep, batch, outFile, dataDir, options.Environment, setupFile, traceFile, perfFile);
    }
}

/// <summary>What the store holds, by table and index, from SQLite's <c>dbstat</c> (read with the sqlite3 shell).</summary>
internal sealed record StoreBreakdown(int Articles, int Revisions, long FileBytes, long FreeBytes,
    IReadOnlyList<(string Name, string Table, long Pages, long Bytes)> Objects, IReadOnlyList<(string Column, long Bytes)> Columns)
{
    private const string FtsIndex = "ArticleSearch";

    public static async Task<StoreBreakdown> ReadAsync(string file)
    {
        var objects = (await QueryAsync(file, """
            SELECT s.name, COALESCE(m.tbl_name, s.name), COUNT(*), SUM(s.pgsize)
            FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY s.name ORDER BY 4 DESC;
            """)).Select(r => (r[0], r[1].StartsWith(FtsIndex, StringComparison.Ordinal) ? FtsIndex + " (FTS5)" : r[1], long.Parse(r[2], CultureInfo.InvariantCulture), long.Parse(r[3], CultureInfo.InvariantCulture))).ToList();
        string[] columns =
        [
            "Articles.Body", "Articles.SearchText", "Articles.MarkdownSource", "ArticleRevisions.Snapshot", "ArticleRevisions.Changes",
            "PublishedArticleDocuments.Json", "PublishedArticleDocuments.Summary",
        ];
        var lengths = await QueryAsync(file, string.Join(" UNION ALL ", columns.Select(c =>
            $"SELECT '{c}', COALESCE(SUM(LENGTH(CAST(\"{c.Split('.')[1]}\" AS BLOB))), 0) FROM \"{c.Split('.')[0]}\"")) + ";");
        var counts = (await QueryAsync(file, """
            SELECT (SELECT COUNT(*) FROM Articles), (SELECT COUNT(*) FROM ArticleRevisions),
                   (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size),
                   (SELECT freelist_count * page_size FROM pragma_freelist_count, pragma_page_size);
            """))[0];
        return new StoreBreakdown(int.Parse(counts[0], CultureInfo.InvariantCulture), int.Parse(counts[1], CultureInfo.InvariantCulture),
            long.Parse(counts[2], CultureInfo.InvariantCulture), long.Parse(counts[3], CultureInfo.InvariantCulture), objects,
            [.. lengths.Select(r => (r[0], long.Parse(r[1], CultureInfo.InvariantCulture)))]);
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("Bytes per article by table, its indexes included (pages of the file, from `dbstat`):");
        text.AppendLine();
        text.AppendLine("| table | KiB per article | share | of which indexes |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        var total = (double)Objects.Sum(o => o.Bytes);
        var tables = Objects.GroupBy(o => o.Table).Select(t => (Name: t.Key, Bytes: t.Sum(o => o.Bytes),
            Indexes: t.Where(o => o.Name != o.Table && !o.Table.EndsWith("(FTS5)", StringComparison.Ordinal)).Sum(o => o.Bytes))).ToList();
        // Tables of a few pages (sites, keys, terms, migrations) say nothing per article.
        var small = tables.Where(t => t.Bytes < total / 1000).ToList();
        foreach (var (name, bytes, indexes) in tables.Except(small).OrderByDescending(t => t.Bytes)
            .Append(($"{small.Count} other tables", small.Sum(t => t.Bytes), small.Sum(t => t.Indexes))))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {bytes / 1024.0 / Articles:0.00} | {100 * bytes / total:0.0} % | {indexes / 1024.0 / Articles:0.00} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| all | {total / 1024 / Articles:0.00} | 100 % | {tables.Sum(t => t.Indexes) / 1024.0 / Articles:0.00} |");

        text.AppendLine();
        text.AppendLine("The largest columns (stored bytes of the values, before SQLite's page overhead):");
        text.AppendLine();
        text.AppendLine("| column | KiB per article |");
        text.AppendLine("| --- | ---: |");
        foreach (var (column, bytes) in Columns.OrderByDescending(c => c.Bytes))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {column} | {bytes / 1024.0 / Articles:0.00} |");
        }

        return text.ToString();
    }

    private static async Task<List<string[]>> QueryAsync(string file, string sql)
    {
        using var process = Process.Start(new ProcessStartInfo("sqlite3", ["-batch", "-separator", "\t", file, sql])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start sqlite3 (apt-get install -y sqlite3).");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sqlite3 failed: {await errors}");
        }

        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))];
    }
}
