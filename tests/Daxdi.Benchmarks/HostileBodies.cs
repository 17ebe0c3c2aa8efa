using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Daxdi.Application.Security;
using Daxdi.Domain.Articles;

namespace Daxdi.Benchmarks;

/// <summary>
/// What the worst article bodies within the limits cost the server: each is created through the real API (Release,
/// Kestrel on 127.0.0.1, SQLite) several times in a row, and the server process's CPU time is divided by the number of
/// requests. The bodies are the shapes known to make HTML tree builders and Markdig quadratic, plus real long reads,
/// each filled up to the body limit.
/// </summary>
internal static class HostileBodies
{
    public const string Command = "hostile-bodies";

    private const int Repeats = 8;

    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args)
    {
        string? outFile = null;
        if (!new CommandLine().File("--out", f => outFile = f).TryParse(args, Options.Usage))
        {
            return 2;
        }

        var apiFolder = await Shell.BuildApiAsync(root);
        if (apiFolder is null)
        {
            return 1;
        }

        var busyBefore = await Cpu.BusyPercentAsync(TimeSpan.FromSeconds(2));
        var data = Directory.CreateTempSubdirectory("daxdi-hostile-");
        var key = ApiKeySecret.Generate();
        var port = ServerProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = ServerProcess.Api(apiFolder, url, $"Data Source={Path.Combine(data.FullName, "daxdi.db")}", key,
            [("Seed__DemoContent", "false"), .. ServerProcess.Unlimited("Admin")]);

        var rows = new List<string>();
        using (var api = await ServerProcess.StartAsync(info, url + "/health/ready", Path.Combine(data.FullName, "api.log")))
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            (await http.PostAsJsonAsync("/api/v1/admin/sites", new { key = "bench", name = "Bench", domain = "bench.example", defaultLanguage = "en" })).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/v1/admin/sites/bench/authors", new { name = "Jane Doe" })).EnsureSuccessStatusCode();

            // A node in service runs optimized code: tiered JIT promotes a method after about 30 calls.
            var warmUp = JsonSerializer.Serialize(new { title = "Warm-up", body = "<p>Warm <b>up</b>.</p>", authors = new[] { "jane-doe" } });
            for (var i = 0; i < 60; i++)
            {
                await SendAsync(http, warmUp);
            }

            foreach (var (name, format, body) in Cases())
            {
                var request = JsonSerializer.Serialize(new { title = name, body, bodyFormat = format, authors = new[] { "jane-doe" } });
                await SendAsync(http, request); // JIT and first-use costs are not what this measures
                await api.WaitUntilIdleAsync();
                var ticks = Cpu.ProcessTicks(api.Id);
                var clock = Stopwatch.StartNew();
                var outcome = "";
                for (var i = 0; i < Repeats; i++)
                {
                    outcome = await SendAsync(http, request);
                }

                var wall = clock.Elapsed.TotalMilliseconds / Repeats;
                var cpu = (Cpu.ProcessTicks(api.Id) - ticks) * Cpu.MillisecondsPerTick / Repeats;
                var row = $"| {name} | {format} | {Encoding.UTF8.GetByteCount(body) / 1024.0:0.0} | {cpu:0.0} | {wall:0.0} | {outcome} |";
                Console.WriteLine(row);
                rows.Add(row);
            }
        }

        data.Delete(recursive: true);
        var report = $"""
            Machine: {await Shell.MachineAsync(root)}, CPU {busyBefore:0} % busy (other processes) just before the run{(busyBefore > 10 ? " — **results unreliable**" : "")}.
            Each body is sent once to warm up, then {Repeats} times; CPU is the API process's user + system time per request (from /proc, 10 ms ticks).

            | body | format | KiB | server CPU ms/request | wall ms/request | answer |
            | --- | --- | ---: | ---: | ---: | --- |
            {string.Join('\n', rows)}
            """;
        Console.WriteLine();
        Console.WriteLine(report);
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, report);
        }

        return 0;
    }

    private static async Task<string> SendAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync("/api/v1/admin/sites/bench/articles", new StringContent(json, Encoding.UTF8, "application/json"));
        if (response.IsSuccessStatusCode)
        {
            return $"{(int)response.StatusCode}";
        }

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return $"{(int)response.StatusCode} `{problem.RootElement.GetProperty("code").GetString()}`";
    }

    private static IEnumerable<(string Name, string Format, string Body)> Cases()
    {
        const string html = "html", markdown = "markdown";
        var prose = string.Concat(Enumerable.Repeat("The council voted on the harbour bridge budget after a long debate. ", 10));
        var deep = Repeat("<div>", 62);
        yield return ("short article (baseline: the rest of the request)", html, $"<p>{prose}</p>");
        yield return ("long read, prose paragraphs with links", html, Fill($"<p>{prose}<a href=\"https://example.com/minutes\">minutes</a></p>\n"));
        yield return ("long read, dense inline markup", html, Fill("<p>Some <b>bold</b> and <a href=\"https://x.example/\">link</a> text.</p>\n"));
        yield return ("long read, Markdown", markdown, Fill($"## Part\n\n{prose}See [the minutes](https://example.com/m) and *the* **vote**.\n\n- one\n- two\n\n"));
        yield return ("`<div>` repeated (nesting)", html, Fill("<div>"));
        yield return ("`<b><div></b>` repeated (misnested)", html, Fill("<b><div></b>"));
        yield return ("`<table><td>` repeated", html, Fill("<table><td>"));
        yield return ("60 open `<b id>`, then `<p>x</p>` (re-opened formatting)", html,
            Fill("<p>x</p>", "<div>" + string.Concat(Enumerable.Range(0, 60).Select(i => $"<b id={i}>")) + "</div>"));
        yield return ("`<br>` repeated (elements)", html, Fill("<br>"));
        yield return ("9,000 `<br>` and text", html, Repeat("<br>", 9000) + new string('x', ArticleRules.BodyMaxBytes - 36_100));
        yield return ("`</span>` at depth 62", html, Fill("</span>", deep));
        yield return ("`</dl>` at depth 62", html, Fill("</dl>", deep));
        yield return ("`<img srcset src>` repeated", html, Fill("<img srcset=\"a.jpg 1x, b.jpg 2x\" src=\"https://x.example/a.jpg\">"));
        yield return ("attribute flood on one element", html, Fill(" a=1", "<b", ">x</b>"));
        yield return ("comments", html, Fill("<!--x-->"));
        yield return ("`>` repeated (nested quotes)", markdown, Fill(">"));
        yield return ("`![a](` repeated (unclosed links)", markdown, Fill("![a]("));
        yield return ("`*a **a ` repeated (emphasis)", markdown, Fill("*a **a "));
        yield return ("`[ (](` repeated", markdown, Fill("[ (]("));
        yield return ("`www.a.b ` repeated (autolinks)", markdown, Fill("www.a.b "));
        yield return ("`[^1]` repeated (footnotes)", markdown, Fill("[^1]"));
        yield return ("pipe table, 100 columns", markdown, Fill("|" + Repeat("a|", 100) + "\n", "|" + Repeat("a|", 100) + "\n|" + Repeat("-|", 100) + "\n"));
        yield return ("one long link reference used everywhere", markdown, Fill("[a] ", "[a]: https://example.com/" + new string('p', 1500) + "\n\n"));
        yield return ("`- x` list items", markdown, Fill("- x\n"));
    }

    /// <summary>ASCII bodies: <paramref name="prefix"/>, <paramref name="unit"/> as often as fits, <paramref name="suffix"/>.</summary>
    private static string Fill(string unit, string prefix = "", string suffix = "")
    {
        var body = new StringBuilder(prefix);
        while (body.Length + unit.Length + suffix.Length <= ArticleRules.BodyMaxBytes)
        {
            body.Append(unit);
        }

        return body.Append(suffix).ToString();
    }

    private static string Repeat(string unit, int times) => string.Concat(Enumerable.Repeat(unit, times));
}
