using System.Net;
using System.Net.Http.Json;
using Daxdi.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Daxdi.Tests.Platform;

/// <summary>Headers every response carries, and the TLS settings for deployments behind HTTPS.</summary>
public sealed class SecurityHeaderTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_response_says_nosniff_and_no_referrer_and_admin_responses_are_never_stored()
    {
        var api = fixture.Api;
        var admin = api.Admin();
        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["admin 201 with a secret"] = await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "ci", role = "editor" }, Ct),
            ["admin 200"] = await admin.GetAsync("/api/v1/admin/sites", Ct),
            ["admin 400"] = await admin.GetAsync("/api/v1/admin/sites?limit=0", Ct),
            ["admin 401"] = await api.Client().GetAsync("/api/v1/admin/sites", Ct),
            ["admin 404"] = await admin.GetAsync("/api/v1/admin/sites/none", Ct),
            ["public 404"] = await api.Client().GetAsync("/api/v1/sites/none/articles", Ct),
            ["route 404"] = await api.Client().GetAsync("/nothing", Ct),
            ["health"] = await api.Client().GetAsync("/health/live", Ct),
            ["openapi"] = await api.Client().GetAsync("/swagger/v1/swagger.json", Ct),
        };

        foreach (var (name, response) in responses)
        {
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff", name);
            Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", name);
            Assert.False(response.Headers.Contains("Server"), name);
            if (name.StartsWith("admin", StringComparison.Ordinal))
            {
                Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
                Assert.False(response.Headers.Contains("Pragma"), name);
            }
        }

        Assert.False(responses["openapi"].Headers.CacheControl?.NoStore ?? false);
    }

    [Fact]
    public async Task With_https_settings_plain_http_is_redirected_and_https_responses_carry_hsts()
    {
        await using var api = new ApiFactory(TestStore.Sqlite(),
            ("Https:Redirect", "true"), ("Https:HstsMaxAgeSeconds", "31536000"), ("Https:HstsIncludeSubDomains", "true"));
        using var http = api.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://api.daxdi.example"), AllowAutoRedirect = false,
        });
        using var https = api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://api.daxdi.example") });

        var redirected = await http.GetAsync("/health/live", Ct);
        var secure = await https.GetAsync("/health/live", Ct);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal("https://api.daxdi.example/health/live", redirected.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", secure.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task Without_https_settings_there_is_neither_redirect_nor_hsts()
    {
        using var https = fixture.Api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://api.daxdi.example") });
        using var http = fixture.Api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://api.daxdi.example") });

        Assert.False((await https.GetAsync("/health/live", Ct)).Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", Ct)).StatusCode);
    }
}
