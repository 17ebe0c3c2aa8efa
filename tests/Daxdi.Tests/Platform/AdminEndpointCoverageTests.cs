using System.Net;
using System.Net.Http.Json;
using System.Text;
using Daxdi.Api.Hosting.Auth;
using Daxdi.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Platform;

/// <summary>
/// Walks every admin endpoint the host maps, so no endpoint (now or added later) can ship unprotected:
/// anonymous callers get 401, and every role the endpoint does not admit gets 403.
/// </summary>
public sealed class AdminEndpointCoverageTests(SqliteApi fixture) : IClassFixture<SqliteApi>
{
    private static readonly string[] AllRoles = ["admin", "editor", "author", "compliance", "finance"];

    [Fact]
    public async Task Every_admin_endpoint_rejects_anonymous_callers_and_roles_it_does_not_admit()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = fixture.Api;
        api.Client();
        var admin = api.Admin();
        (await admin.PostAsJsonAsync("/api/v1/admin/sites", new { key = "any-site", name = "Any", domain = "any.example", defaultLanguage = "en" }, ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/admin/sites/any-site/authors", new { name = "Some Author" }, ct)).EnsureSuccessStatusCode();
        var keys = new Dictionary<string, string>();
        foreach (var role in AllRoles.Where(r => r != "admin"))
        {
            keys[role] = role == "author" ? await api.CreateKeyAsync(role, "any-site", "some-author") : await api.CreateKeyAsync(role);
        }

        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/admin", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(endpoints.Count >= 9, $"Only {endpoints.Count} admin endpoints found; the walk would prove little.");

        var failures = new List<string>();
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
                var url = Url(endpoint);
                var anonymous = await api.Client().SendAsync(Request(method, url), ct);
                if (anonymous.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{method} {url} anonymous: {(int)anonymous.StatusCode}");
                }

                foreach (var role in keys.Keys.Where(r => !allowed.Contains(r)))
                {
                    var response = await api.Client(keys[role]).SendAsync(Request(method, url), ct);
                    if (response.StatusCode != HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{method} {url} as {role}: {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static string Url(RouteEndpoint endpoint)
    {
        var url = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var policies = parameter.ParameterPolicies.Select(p => p.Content).ToList();
            var value = policies.Contains("guid") ? Guid.NewGuid().ToString() : policies.Contains("int") ? "1" : "any-site";
            url = System.Text.RegularExpressions.Regex.Replace(url, $"\\{{{parameter.Name}[^}}]*\\}}", value);
        }

        return url;
    }

    private static HttpRequestMessage Request(string method, string url) => new(new HttpMethod(method), url)
    {
        Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
    };
}
