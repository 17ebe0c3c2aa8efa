using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Daxdi.Application.Security;
using Microsoft.Data.Sqlite;

namespace Daxdi.Benchmarks;

/// <summary>
/// The import's duplicate check against a large archive: one site of the demo database grown to N draft articles of
/// distinct text (copies of a demo draft's row with new text, written straight into SQLite), then
/// <c>GET /admin/articles/{id}/similar</c> on the real API, measuring the server's CPU per check and the first load of
/// the site's index.
/// </summary>
internal static class SimilarityLoad
{
    public const string Command = "similarity";

    public const string Usage = """
        Or: dotnet run -c Release --project tests/Daxdi.Benchmarks -- similarity [options]
          the similarity index against a large archive (docs/performance.md, article similarity)
          --articles N     articles in the site (default: 100000)
          --checks N       similarity checks, timed (default: 200)
          --env NAME=VALUE a setting for the API process; repeatable (Similarity__CatchUpInterval=00:00:00: catch up on every check)
        """;

    private const string Site = "daxdi";

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        var (articles, checks) = (100_000, 200);
        var options = new CommandLine().WithEnv()
            .Number("--articles", 1, n => articles = n)
            .Number("--checks", 1, n => checks = n);
        if (!options.TryParse(args, Usage))
        {
            return 2;
        }

        var apiFolder = await Shell.BuildApiAsync(root);
        if (apiFolder is null)
        {
            return 1;
        }

        var (dataDir, file) = Shell.FreshStore(root, "similarity.db");

        var adminKey = ApiKeySecret.Generate();
        var log = Path.Combine(dataDir, "similarity.log");
        ProcessStartInfo Start(string url) => ServerProcess.Api(apiFolder, url, $"Data Source={file}", adminKey,
            [("Seed__DemoContent", "true"), .. ServerProcess.Unlimited("Admin"), .. options.Environment]);

        var firstUrl = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        using (await ServerProcess.StartAsync(Start(firstUrl), firstUrl + "/health/ready", log))
        {
            // Migrated and seeded: the demo content is the template.
        }

        Console.WriteLine($"Writing {articles:N0} articles into {file} ...");
        var seeding = Stopwatch.StartNew();
        var ids = await GrowAsync(file, articles);
        Console.WriteLine($"  {seeding.Elapsed.TotalSeconds:0.0} s");

        var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        using var api = await ServerProcess.StartAsync(Start(url), url + "/health/ready", log);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);

        var ticks = Cpu.ProcessTicks(api.Id);
        var clock = Stopwatch.StartNew();
        var first = await CheckAsync(http, ids[0]);
        var firstWall = clock.Elapsed;
        var firstCpu = (Cpu.ProcessTicks(api.Id) - ticks) * Cpu.MillisecondsPerTick;
        await api.WaitUntilIdleAsync();

        var random = new Random(7);
        var latencies = new List<double>(checks);
        var found = 0;
        ticks = Cpu.ProcessTicks(api.Id);
        for (var i = 0; i < checks; i++)
        {
            var started = Stopwatch.GetTimestamp();
            found += await CheckAsync(http, ids[random.Next(ids.Count)]);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var cpuPerCheck = (Cpu.ProcessTicks(api.Id) - ticks) * Cpu.MillisecondsPerTick / checks;
        var sorted = latencies.Order().ToArray();
        double Percentile(int p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {await Shell.MachineAsync(root)}, CPU {busyBefore:0} % busy (other processes) just before the run.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/Daxdi.Benchmarks -- {string.Join(' ', args.Prepend(Command))}`");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| articles in the site | {ids.Count:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| first check (loads the site's index) | {firstWall.TotalSeconds:0.0} s, {firstCpu / 1000:0.0} s CPU, {first} similar found |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| server CPU per check, after | {cpuPerCheck:0.0} ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| latency p50 / p99 | {Percentile(50):0.0} / {Percentile(99):0.0} ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| similar articles found per check (random texts: expect 0) | {found / (double)checks:0.00} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| API peak RSS | {api.PeakRssMb():0} MB |");
        Console.WriteLine();
        Console.WriteLine(text);
        return 0;
    }

    private static async Task<int> CheckAsync(HttpClient http, string id)
    {
        using var response = await http.GetAsync($"/api/v1/admin/articles/{id}/similar");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray().Count;
    }

    /// <summary>Copies of one demo draft's row, each with its own id, slug, title, last change and 250 words drawn from 5,000.</summary>
    private static async Task<List<string>> GrowAsync(string file, int count)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.OpenAsync();
        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('Articles')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        string template;
        DateTime newest;
        await using (var pick = connection.CreateCommand())
        {
            pick.CommandText = "SELECT a.Id, a.UpdatedAt FROM Articles a JOIN Sites s ON s.Id = a.SiteId WHERE s.Key = $site AND a.Status = 'Draft' LIMIT 1";
            pick.Parameters.AddWithValue("$site", Site);
            await using var reader = await pick.ExecuteReaderAsync();
            await reader.ReadAsync();
            (template, newest) = (reader.GetString(0), reader.GetDateTime(1));
        }

        // A real archive's changes are spread over time (one a minute here, oldest first), so a first load reads it a page at a time.
        var replaced = new Dictionary<string, string>
        {
            ["Id"] = "$id", ["Slug"] = "$slug", ["Title"] = "$title", ["SearchText"] = "$text", ["UpdatedAt"] = "$updated",
        };
        var select = string.Join(", ", columns.Select(c => replaced.GetValueOrDefault(c, $"\"{c}\"")));
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO Articles ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT {select} FROM Articles WHERE Id = $template";
        var (id, slug, title, text, updated) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$slug", SqliteType.Text),
            insert.Parameters.Add("$title", SqliteType.Text), insert.Parameters.Add("$text", SqliteType.Text), insert.Parameters.Add("$updated", SqliteType.Text));
        insert.Parameters.AddWithValue("$template", template);
        var random = new Random(42);
        var vocabulary = Enumerable.Range(0, 5_000).Select(_ => new string([.. Enumerable.Range(0, random.Next(3, 10)).Select(_ => (char)('a' + random.Next(26)))])).ToArray();
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var articleId = Guid.CreateVersion7().ToString().ToUpperInvariant();
            (id.Value, slug.Value, title.Value) = (articleId, $"bench-{i}", $"Bench story {i}");
            updated.Value = newest.AddMinutes(i - count).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            text.Value = string.Join(' ', Enumerable.Range(0, 250).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
            await insert.ExecuteNonQueryAsync();
            ids.Add(articleId);
        }

        await transaction.CommitAsync();
        return ids;
    }
}
