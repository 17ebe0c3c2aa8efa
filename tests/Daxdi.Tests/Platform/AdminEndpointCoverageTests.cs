using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Platform;

/// <summary>
/// Walks every admin endpoint the host maps, so no endpoint (now or added later) can ship unprotected: anonymous
/// callers and revoked keys get 401, every role the endpoint does not admit gets 403, an author key of another site
/// gets 403, and every role the endpoint's metadata admits really gets past authorization.
/// </summary>
public sealed class AdminEndpointCoverageTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private const string Site = "any-site";
    private static readonly string[] AllRoles = ["admin", "editor", "author", "compliance", "finance"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_admin_endpoint_admits_exactly_the_roles_its_metadata_names()
    {
        var api = fixture.Api;
        var world = await WorldAsync(api);
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/admin", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(endpoints.Count >= 9, $"Only {endpoints.Count} admin endpoints found; the walk would prove little.");

        var failures = new List<string>();
        var admitted = 0;
        foreach (var endpoint in endpoints)
        {
            var allowed = Roles.Allowed(endpoint.Metadata);
            if (allowed.Count == 0 || !allowed.Contains("admin"))
            {
                failures.Add($"{endpoint.DisplayName}: no role requirement including admin ({string.Join(",", allowed)})");
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                var url = Url(endpoint, world.ArticleId);
                async Task<(HttpStatusCode Status, string? Code)> SendAsync(string? key)
                {
                    var response = await api.Client(key).SendAsync(Request(method, url, endpoint), Ct);
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                        ? JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()
                        : null;
                    return (response.StatusCode, code);
                }

                void Expect(string who, (HttpStatusCode Status, string? Code) got, HttpStatusCode status, string code)
                {
                    if (got.Status != status || got.Code != code)
                    {
                        failures.Add($"{method} {url} {who}: {(int)got.Status} {got.Code}, expected {(int)status} {code}");
                    }
                }

                Expect("anonymous", await SendAsync(null), HttpStatusCode.Unauthorized, "auth.unauthenticated");
                foreach (var (role, key) in world.Revoked)
                {
                    Expect($"revoked {role} key", await SendAsync(key), HttpStatusCode.Unauthorized, "auth.unauthenticated");
                }

                foreach (var role in AllRoles)
                {
                    var got = await SendAsync(world.Keys[role]);
                    if (!allowed.Contains(role))
                    {
                        Expect(role, got, HttpStatusCode.Forbidden, "auth.forbidden");
                    }
                    else if (got.Status is HttpStatusCode.Unauthorized || got.Code?.StartsWith("auth.", StringComparison.Ordinal) == true)
                    {
                        failures.Add($"{method} {url} as {role}: {(int)got.Status} {got.Code}, but the endpoint admits {role}");
                    }
                    else
                    {
                        admitted++;
                    }
                }

                if (allowed.Contains("author"))
                {
                    Expect("author of another site", await SendAsync(world.OtherSiteAuthor), HttpStatusCode.Forbidden, "auth.other_site");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(admitted >= endpoints.Count, $"Only {admitted} admitted calls got past authorization.");
    }

    private sealed record World(Guid ArticleId, Dictionary<string, string> Keys, Dictionary<string, string> Revoked, string OtherSiteAuthor);

    /// <summary>A site with an author and one article by them (so URLs name real resources), keys for every role.</summary>
    private static async Task<World> WorldAsync(ApiFactory api)
    {
        var admin = api.Admin();
        foreach (var site in new[] { Site, "other-site" })
        {
            await OkAsync(admin.PostAsJsonAsync("/api/v1/admin/sites", new { key = site, name = "Any", domain = "any.example", defaultLanguage = "en" }, Ct));
            await OkAsync(admin.PostAsJsonAsync($"/api/v1/admin/sites/{site}/authors", new { name = "Some Author" }, Ct));
        }

        var article = await OkAsync(admin.PostAsJsonAsync($"/api/v1/admin/sites/{Site}/articles",
            new { title = "Walked", body = "<p>Text.</p>", authors = new[] { "some-author" } }, Ct));
        var keys = new Dictionary<string, string> { ["admin"] = ApiFactory.AdminKey };
        foreach (var role in AllRoles.Where(r => r != "admin"))
        {
            keys[role] = role == "author" ? await api.CreateKeyAsync(role, Site, "some-author") : await api.CreateKeyAsync(role);
        }

        var revoked = new Dictionary<string, string>();
        foreach (var role in new[] { "admin", "author" })
        {
            var created = await OkAsync(admin.PostAsJsonAsync("/api/v1/admin/api-keys",
                new { name = "revoked", role, site = role == "author" ? Site : null, authorSlug = role == "author" ? "some-author" : null }, Ct));
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/api-keys/{created.GetProperty("id").GetString()}", Ct)).StatusCode);
            revoked[role] = created.GetProperty("key").GetString()!;
        }

        return new World(article.GetProperty("id").GetGuid(), keys, revoked, await api.CreateKeyAsync("author", "other-site", "some-author"));
    }

    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static string Url(RouteEndpoint endpoint, Guid articleId)
    {
        var url = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var policies = parameter.ParameterPolicies.Select(p => p.Content).ToList();
            var value = policies.Contains("guid") ? (url.Contains("/articles/{", StringComparison.Ordinal) ? articleId : Guid.NewGuid()).ToString()
                : policies.Contains("int") ? "1"
                : Site;
            url = System.Text.RegularExpressions.Regex.Replace(url, $"\\{{{parameter.Name}[^}}]*\\}}", value);
        }

        return url;
    }

    /// <summary>A request with a body of the first media type the endpoint accepts (JSON, or the page an import takes).</summary>
    private static HttpRequestMessage Request(string method, string url, RouteEndpoint endpoint) => new(new HttpMethod(method), url)
    {
        Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8,
            endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is { ContentTypes: [var accepted, ..] }
                ? accepted : "application/json"),
    };
}
