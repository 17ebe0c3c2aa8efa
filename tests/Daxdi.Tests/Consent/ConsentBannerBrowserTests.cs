using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Consent;

/// <summary>
/// docs/examples/consent-banner.html in Debian's headless Chromium (tests/browser, puppeteer-core), served from an
/// origin of its own and calling the real API on Kestrel cross-origin, as a visitor would use it: Continue, come back and
/// save preferences with profiling ticked, withdraw. The records are then checked as the compliance team sees them.
/// Skipped unless <c>DAXDI_BROWSER_TEST</c> names the tests/browser folder with its packages installed.
/// </summary>
public sealed class ConsentBannerBrowserTests
{
    public const string BrowserVariable = "DAXDI_BROWSER_TEST";

    private const string Site = "daxdi";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_example_banner_records_continue_saved_preferences_and_a_withdrawal_from_a_real_browser()
    {
        var folder = Environment.GetEnvironmentVariable(BrowserVariable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(folder),
            $"The browser test is not set up: install chromium, run 'npm ci' in tests/browser and set {BrowserVariable} to that folder (bash .ci/run does).");
        var program = Path.Combine(folder!, "banner.mjs");
        Assert.True(File.Exists(program), $"{program} is missing: {BrowserVariable} must name tests/browser.");
        Assert.True(Directory.Exists(Path.Combine(folder!, "node_modules", "puppeteer-core")), $"Run 'npm ci' in {folder} first.");

        using var store = new TempFolder();
        var port = ApiProcess.FreePort();
        using var host = ApiProcess.Start(store.Path, port, ("Bootstrap__AdminApiKey", ApiFactory.AdminKey), ("Seed__DemoContent", "true"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ready = await ApiProcess.WaitForAsync(http, "/health/ready", host);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"The API did not start: {host.Errors}");
        using var admin = new HttpClient { BaseAddress = http.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.AdminKey);

        await using var page = await BannerPage.StartAsync();
        await AllowOriginAsync(admin, page.Origin);

        var steps = await RunBrowserAsync(folder!, program, page.Origin, http.BaseAddress.ToString().TrimEnd('/'));

        // What the page saw: one subject throughout, the receipts it was answered and what it applied.
        Assert.Equal(["open", "continue", "reload", "save", "withdraw", "reopen"], steps.Select(s => s.GetProperty("step").GetString()));
        var subject = steps[1].GetProperty("subjectId").GetString()!;
        Assert.StartsWith("sub_", subject, StringComparison.Ordinal);
        Assert.All(steps.Skip(1), s => Assert.Equal(subject, s.GetProperty("subjectId").GetString()));
        Assert.Equal(["implied", "custom", "withdraw"], steps.Where(s => s.TryGetProperty("sequence", out _)).Select(s => s.GetProperty("decision").GetString()));

        // The records, as the compliance team searches them (newest first): exactly the three decisions, in order.
        var search = await admin.GetAsync($"/api/v1/admin/sites/{Site}/consents?subjectId={subject}", Ct);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var page1 = await search.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(JsonValueKind.Null, page1.GetProperty("nextCursor").ValueKind);
        var records = page1.GetProperty("items").EnumerateArray().Reverse().ToList();
        Assert.Equal(["implied", "custom", "withdraw"], records.Select(r => r.GetProperty("decision").GetString()));
        Assert.All(records, r =>
        {
            Assert.Equal(subject, r.GetProperty("subjectId").GetString());
            Assert.Equal(1, r.GetProperty("policyVersion").GetInt32());
            Assert.Equal("en", r.GetProperty("language").GetString());
            Assert.Equal("Chrome", r.GetProperty("browserFamily").GetString());
            Assert.StartsWith($"{page.Origin}/consent-banner.html?", r.GetProperty("pageUrl").GetString(), StringComparison.Ordinal);
            Assert.False(r.GetProperty("globalPrivacyControl").GetBoolean());
        });
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].GetProperty("sequence").GetInt64() + 1, records[i].GetProperty("sequence").GetInt64());
            Assert.Equal(records[i - 1].GetProperty("hash").GetString(), records[i].GetProperty("previousHash").GetString());
        }

        var (implied, custom, withdrawal) = (records[0], records[1], records[2]);
        Assert.Equal("continue", implied.GetProperty("control").GetString());
        Assert.False(implied.GetProperty("validForProcessing").GetBoolean());
        AssertCategories(implied.GetProperty("effective"), profiling: false);
        Assert.Equal("denied", implied.GetProperty("consentMode").GetProperty("security_storage").GetString());

        Assert.Equal("save", custom.GetProperty("control").GetString());
        Assert.True(custom.GetProperty("validForProcessing").GetBoolean());
        Assert.True(custom.GetProperty("choices").GetProperty("profiling").GetBoolean());
        AssertCategories(custom.GetProperty("effective"), profiling: true);
        Assert.Equal("granted", custom.GetProperty("consentMode").GetProperty("ad_storage").GetString());

        Assert.Equal(JsonValueKind.Null, withdrawal.GetProperty("control").ValueKind);
        Assert.True(withdrawal.GetProperty("validForProcessing").GetBoolean());
        AssertCategories(withdrawal.GetProperty("effective"), profiling: false);
        Assert.Equal("denied", withdrawal.GetProperty("consentMode").GetProperty("ad_storage").GetString());

        // The subject's export (an access request) holds the same three records, oldest first, under policy version 1.
        var export = await admin.GetAsync($"/api/v1/admin/sites/{Site}/consent-subjects/{subject}", Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var exported = await export.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(subject, exported.GetProperty("subjectId").GetString());
        Assert.Equal(records.Select(r => r.GetProperty("consentId").GetGuid()),
            exported.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("consentId").GetGuid()));
        Assert.Equal([1], exported.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("version").GetInt32()));

        // What the banner reads on the next visit: renew, with only the required category.
        var effective = await http.GetAsync($"/api/v1/sites/{Site}/consent-subjects/{subject}", Ct);
        Assert.Equal(HttpStatusCode.OK, effective.StatusCode);
        var now = await effective.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(now.GetProperty("renewalRequired").GetBoolean());
        Assert.Equal("withdrawn", now.GetProperty("renewalReason").GetString());
        Assert.Equal("withdraw", now.GetProperty("decision").GetString());
        Assert.Equal(withdrawal.GetProperty("consentId").GetGuid(), now.GetProperty("consentId").GetGuid());
        AssertCategories(now.GetProperty("effective"), profiling: false);
        Assert.Equal("denied", now.GetProperty("consentMode").GetProperty("ad_storage").GetString());

        // And the site's chain verifies, its head being the withdrawal.
        var verification = await admin.GetAsync($"/api/v1/admin/sites/{Site}/consents/verification", Ct);
        Assert.Equal(HttpStatusCode.OK, verification.StatusCode);
        var report = await verification.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(report.GetProperty("ok").GetBoolean(), report.GetRawText());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("firstFailure").ValueKind);
        Assert.Equal(report.GetProperty("length").GetInt64(), report.GetProperty("checked").GetInt64());
        Assert.Equal(withdrawal.GetProperty("sequence").GetInt64(), report.GetProperty("length").GetInt64());
        Assert.Equal(withdrawal.GetProperty("hash").GetString(), report.GetProperty("lastHash").GetString());
    }

    private static void AssertCategories(JsonElement effective, bool profiling)
    {
        Assert.Equal(["profiling", "technical"], effective.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(effective.GetProperty("technical").GetBoolean());
        Assert.Equal(profiling, effective.GetProperty("profiling").GetBoolean());
    }

    /// <summary>Adds the page's origin to the demo site's CORS origins through the admin API, as a publisher would.</summary>
    private static async Task AllowOriginAsync(HttpClient admin, string origin)
    {
        var read = await admin.GetAsync($"/api/v1/admin/sites/{Site}", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var site = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var origins = site.GetProperty("corsOrigins").EnumerateArray().Select(o => o.GetString()!).ToList();
        Assert.DoesNotContain(origin, origins);

        using var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/sites/{Site}")
        {
            Content = JsonContent.Create(new
            {
                name = site.GetProperty("name").GetString(),
                domain = site.GetProperty("domain").GetString(),
                corsOrigins = origins.Append(origin),
                defaultLanguage = site.GetProperty("defaultLanguage").GetString(),
            }),
        };
        update.Headers.IfMatch.Add(read.Headers.ETag!);
        var updated = await admin.SendAsync(update, Ct);
        Assert.True(updated.StatusCode == HttpStatusCode.OK, $"{(int)updated.StatusCode} {await updated.Content.ReadAsStringAsync(Ct)}");
        var body = await updated.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(origin, body.GetProperty("corsOrigins").EnumerateArray().Select(o => o.GetString()));
    }

    /// <summary>Runs tests/browser/banner.mjs and answers the JSON line it printed after each step.</summary>
    private static async Task<IReadOnlyList<JsonElement>> RunBrowserAsync(string folder, string program, string origin, string api)
    {
        var info = new ProcessStartInfo("node", [program])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DAXDI_PAGE_ORIGIN"] = origin;
        info.Environment["DAXDI_URL"] = api;
        info.Environment["DAXDI_SITE"] = Site;
        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEndAsync(Ct);
        var errors = node.StandardError.ReadToEndAsync(Ct);
        try
        {
            await node.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(3), Ct);
        }
        catch (TimeoutException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"The browser check did not finish in 3 minutes: {await output}");
        }

        Assert.True(node.ExitCode == 0, $"The browser check failed (exit {node.ExitCode}): {await errors}\n{await output}");
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("banner checks passed", lines[^1]);
        return [.. lines.Where(l => l.StartsWith('{')).Select(l => JsonSerializer.Deserialize<JsonElement>(l))];
    }

    /// <summary>The example banner on Kestrel (127.0.0.1, a free port): an origin of its own, as a site's frontend is.</summary>
    private sealed class BannerPage(WebApplication app) : IAsyncDisposable
    {
        public string Origin { get; private set; } = "";

        public static async Task<BannerPage> StartAsync()
        {
            var html = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "examples", "consent-banner.html"), Ct);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapGet("/consent-banner.html", () => Results.Text(html, "text/html; charset=utf-8"));
            await app.StartAsync(Ct);
            return new BannerPage(app) { Origin = new Uri(app.Urls.Single()).GetLeftPart(UriPartial.Authority) };
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
