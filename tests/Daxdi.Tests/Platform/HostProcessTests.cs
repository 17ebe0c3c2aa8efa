using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Platform;

/// <summary>The real executable on Kestrel (127.0.0.1), as a user runs it.</summary>
public sealed partial class HostProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_first_development_run_serves_health_and_swagger_and_prints_a_working_admin_key()
    {
        using var store = new TempFolder();
        var port = ApiProcess.FreePort();
        using var host = ApiProcess.Start(store.Path, port, ("ASPNETCORE_ENVIRONMENT", "Development"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var ready = await ApiProcess.WaitForAsync(http, "/health/ready", host);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", Ct)).StatusCode);
        var swagger = await http.GetAsync("/swagger/index.html", Ct);
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        Assert.Contains("swagger-ui", await swagger.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var key = await WaitForKeyAsync(host);
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var sites = await http.GetStringAsync("/api/v1/admin/sites", Ct);
        Assert.Contains("\"key\":\"daxdi\"", sites, StringComparison.Ordinal);
        Assert.Contains("\"key\":\"harbor-times\"", sites, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Database__Provider", "Oracle", "Database")]
    [InlineData("Bootstrap__AdminApiKey", "too-short", "AdminApiKey")]
    [InlineData("RateLimits__Admin__PermitLimit", "0", "PermitLimit")]
    [InlineData("Api__MaxRequestBodyBytes", "ten", "Api")]
    [InlineData("LoadShedding__MaxConcurrentRequests", "0", "MaxConcurrentRequests")]
    public async Task An_invalid_setting_stops_start_up_with_one_clear_message(string variable, string value, string named)
    {
        using var store = new TempFolder();
        using var host = ApiProcess.Start(store.Path, ApiProcess.FreePort(), (variable, value));

        await host.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, host.Process.ExitCode);
        var error = host.Errors.ToString();
        Assert.StartsWith("Daxdi cannot start: invalid configuration.", error.Trim(), StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_provider_without_a_connection_string_stops_start_up()
    {
        using var store = new TempFolder();
        using var host = ApiProcess.Start(store.Path, ApiProcess.FreePort(), ("Database__Provider", "PostgreSql"), ("ConnectionStrings__Daxdi", ""));

        await host.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, host.Process.ExitCode);
        Assert.Contains("ConnectionStrings:Daxdi is required", host.Errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_bootstrap_secret_is_not_recreated_and_start_up_says_why()
    {
        using var store = new TempFolder();
        var connectionString = $"Data Source={Path.Combine(store.Path, "daxdi.db")}";
        await using (var api = new ApiFactory(TestStore.Sqlite()))
        {
            // Same file as the process below: the factory's store is replaced by this folder's database.
            await using var onFile = api.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Daxdi", connectionString));
            using var admin = onFile.CreateClient();
            admin.DefaultRequestHeaders.Authorization = new("Bearer", ApiFactory.AdminKey);
            var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/api-keys", Ct);
            var id = keys.GetProperty("items")[0].GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/api-keys/{id}", Ct)).StatusCode);
        }

        using var host = ApiProcess.Start(store.Path, ApiProcess.FreePort(), ("Bootstrap__AdminApiKey", ApiFactory.AdminKey));
        await host.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, host.Process.ExitCode);
        Assert.Contains("Bootstrap:AdminApiKey is a key that was revoked", host.Errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_from_another_directory_the_host_reads_its_own_settings_and_logs_json_without_urls_or_sql()
    {
        using var store = new TempFolder();
        using var elsewhere = new TempFolder();
        Directory.CreateDirectory(elsewhere.Path);
        var port = ApiProcess.FreePort();
        using var host = ApiProcess.Start(store.Path, port, workingDirectory: elsewhere.Path);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var ready = await ApiProcess.WaitForAsync(http, "/health/ready", host);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Empty(ready.Headers.Server);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/sites/daxdi/articles/no-such-slug?q=secret-query", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/sites/daxdi/articles?q=bridge", Ct)).StatusCode);
        await Task.Delay(500, Ct);

        var lines = host.Output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => JsonDocument.Parse(l));
        var output = host.Output.ToString();
        Assert.DoesNotContain("secret-query", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SELECT", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", output, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForKeyAsync(ApiProcess host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (KeyPattern().Match(host.Output.ToString()) is { Success: true } match)
            {
                return match.Value;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("No admin key was printed. Output: " + host.Output);
    }

    [GeneratedRegex("dx_[0-9A-Za-z]{43}")]
    private static partial Regex KeyPattern();
}
