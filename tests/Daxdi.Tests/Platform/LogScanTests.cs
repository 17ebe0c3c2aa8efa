using System.Net.Http.Json;
using Daxdi.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Platform;

/// <summary>What is never logged: secrets, full client addresses, query strings.</summary>
public sealed class LogScanTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private static CapturedLog Log(string message, params string[] scopes) =>
        new(LogLevel.Information, "Test", message, null, scopes);

    [Theory]
    [InlineData("key dx_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd used", "API key secret")]
    [InlineData("client 203.0.113.77 called", "full client address 203.0.113.77")]
    [InlineData("client 2001:db8::77 called", "full client address 2001:db8::77")]
    [InlineData("GET /api/v1/admin/sites?limit=5 answered 400", "query string")]
    [InlineData("fetched https://hooks.example/x?token=1", "query string")]
    public void The_scan_finds_each_kind_of_leak(string message, string kind)
    {
        var findings = LogScan.Find([Log(message)], []);

        Assert.Contains(findings, f => f.StartsWith(kind, StringComparison.Ordinal));
    }

    [Fact]
    public void The_scan_finds_a_secret_shown_to_a_client_in_a_scope_and_masks_it()
    {
        var findings = LogScan.Find([Log("request", "RequestPath:/x/whsec_s3cr3tValue")], ["whsec_s3cr3tValue"]);

        var finding = Assert.Single(findings);
        Assert.DoesNotContain("s3cr3tValue", finding, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /api/v1/admin/sites/daxdi answered 404 site.not_found")]
    [InlineData("client 203.0.113.0 (truncated) and 2001:db8:1:: kept; prefix dx_4fGh7KqZ2")]
    [InlineData("TraceId:4bf92f3577b34da6a3ce929d0e0e4736 took 12:30:45 and version 10.0.15")]
    [InlineData("What? Nothing to see.")]
    public void The_scan_passes_what_may_be_logged(string message) =>
        Assert.Empty(LogScan.Find([Log(message)], []));

    [Fact]
    public async Task Admin_calls_with_keys_bad_credentials_client_addresses_and_query_strings_leave_nothing_secret_in_the_logs()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = fixture.Api;
        var secret = await api.CreateKeyAsync("editor");
        var admin = api.Admin();
        admin.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.77");
        await admin.GetAsync("/api/v1/admin/api-keys?limit=5&cursor=not-a-cursor", ct);
        await admin.GetAsync("/api/v1/admin/sites?limit=ten", ct);
        await admin.PostAsJsonAsync("/api/v1/admin/sites?dryRun=1", new { key = "Bad Key" }, ct);
        await api.Client(secret).GetAsync("/api/v1/admin/api-keys?limit=1", ct);
        await api.Client(secret + "x").GetAsync("/api/v1/admin/sites?x=1", ct);
        await api.Client("dx_000000000000000000000000000000000000000000").GetAsync("/api/v1/admin/sites", ct);

        Assert.NotEmpty(api.Logs);
        LogScan.AssertClean(api, [secret]);
    }
}
