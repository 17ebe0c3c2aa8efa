using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Sites;

/// <summary>Admin CRUD of sites over HTTP, run on every store the environment provides.</summary>
public abstract class SitesApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object NewSite(string key) => new
    {
        key,
        name = $"Site {key}",
        domain = $"{key}.example",
        corsOrigins = new[] { $"https://{key}.example", "http://localhost:3000" },
        defaultLanguage = "en",
    };

    [Fact]
    public async Task Create_returns_201_with_location_etag_and_the_site()
    {
        var response = await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", NewSite("created"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/admin/sites/created", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        var site = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("created", site.GetProperty("key").GetString());
        Assert.Equal("created.example", site.GetProperty("domain").GetString());
        Assert.Equal(2, site.GetProperty("corsOrigins").GetArrayLength());
        Assert.Equal(1, site.GetProperty("version").GetInt32());

        var read = await api.Admin().GetAsync("/api/v1/admin/sites/created", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        var readSite = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("http://localhost:3000", readSite.GetProperty("corsOrigins")[1].GetString());
        Assert.EndsWith("Z", readSite.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_with_a_taken_key_returns_409_site_key_taken()
    {
        (await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", NewSite("twice"), Ct)).EnsureSuccessStatusCode();

        var second = await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", NewSite("twice"), Ct);

        await Problem.AssertAsync(second, HttpStatusCode.Conflict, "site.key_taken");
    }

    [Theory]
    [InlineData("key", "Not Kebab")]
    [InlineData("key", "-leading")]
    [InlineData("key", "double--hyphen")]
    [InlineData("domain", "https://news.example")]
    [InlineData("domain", "localhost")]
    [InlineData("defaultLanguage", "not a tag")]
    [InlineData("defaultLanguage", "xx-YY")]
    public async Task Create_rejects_an_invalid_field_with_400_naming_it(string field, string value)
    {
        var site = JsonSerializer.SerializeToNode(NewSite("valid"))!.AsObject();
        site[field] = value;

        var response = await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", site, Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("https://news.example/path")]
    [InlineData("news.example")]
    [InlineData("ftp://news.example")]
    [InlineData("https://news.example/")]
    public async Task Create_rejects_cors_origins_that_are_not_absolute_origins(string origin)
    {
        var site = JsonSerializer.SerializeToNode(NewSite("origins"))!.AsObject();
        site["corsOrigins"] = new System.Text.Json.Nodes.JsonArray("https://ok.example", origin);

        var response = await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", site, Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("corsOrigins[1]", out _), problem.ToString());
    }

    [Theory]
    [InlineData("corsOrigins")]
    [InlineData("name")]
    [InlineData("domain")]
    [InlineData("defaultLanguage")]
    [InlineData("key")]
    public async Task Create_with_a_null_field_is_a_400_naming_it_not_a_500(string field)
    {
        var site = JsonSerializer.SerializeToNode(NewSite("nulls"))!.AsObject();
        site[field] = null;

        var response = await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", site, Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Get_of_an_unknown_site_returns_404_site_not_found()
    {
        var response = await api.Admin().GetAsync("/api/v1/admin/sites/nowhere", Ct);

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "site.not_found");
    }

    [Fact]
    public async Task Update_with_the_current_etag_replaces_fields_and_bumps_the_version()
    {
        (await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", NewSite("renamed"), Ct)).EnsureSuccessStatusCode();
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/admin/sites/renamed")
        {
            Content = JsonContent.Create(new { name = "Renamed", domain = "New.Example", corsOrigins = Array.Empty<string>(), defaultLanguage = "pt-BR" }),
        };
        request.Headers.IfMatch.ParseAdd("\"1\"");

        var response = await api.Admin().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        var site = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Renamed", site.GetProperty("name").GetString());
        Assert.Equal("new.example", site.GetProperty("domain").GetString());
        Assert.Equal("pt-BR", site.GetProperty("defaultLanguage").GetString());
        Assert.Equal(0, site.GetProperty("corsOrigins").GetArrayLength());
        Assert.Equal(2, site.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Update_with_a_stale_etag_returns_412_and_changes_nothing()
    {
        (await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", NewSite("stale"), Ct)).EnsureSuccessStatusCode();
        var body = new { name = "First", domain = "stale.example", defaultLanguage = "en" };
        (await api.Admin().PutAsJsonAsync("/api/v1/admin/sites/stale", body, Ct)).EnsureSuccessStatusCode();

        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/admin/sites/stale")
        {
            Content = JsonContent.Create(body with { name = "Second" }),
        };
        request.Headers.IfMatch.ParseAdd("\"1\"");
        var response = await api.Admin().SendAsync(request, Ct);

        await Problem.AssertAsync(response, HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        var site = await api.Admin().GetFromJsonAsync<JsonElement>("/api/v1/admin/sites/stale", Ct);
        Assert.Equal("First", site.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_reports_body_field_errors_under_their_json_names()
    {
        (await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", NewSite("fields"), Ct)).EnsureSuccessStatusCode();

        var response = await api.Admin().PutAsJsonAsync("/api/v1/admin/sites/fields",
            new { name = "", domain = "fields.example", defaultLanguage = "en" }, Ct);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(["name"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Delete_requires_if_match_428_then_deletes_with_it()
    {
        (await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", NewSite("doomed"), Ct)).EnsureSuccessStatusCode();

        var without = await api.Admin().DeleteAsync("/api/v1/admin/sites/doomed", Ct);
        await Problem.AssertAsync(without, HttpStatusCode.PreconditionRequired, "request.if_match_required");

        var stale = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/admin/sites/doomed");
        stale.Headers.IfMatch.ParseAdd("\"7\"");
        await Problem.AssertAsync(await api.Admin().SendAsync(stale, Ct), HttpStatusCode.PreconditionFailed, "request.version_mismatch");

        var current = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/admin/sites/doomed");
        current.Headers.IfMatch.ParseAdd("\"1\"");
        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin().SendAsync(current, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin().GetAsync("/api/v1/admin/sites/doomed", Ct)).StatusCode);
    }

    [Fact]
    public async Task List_pages_through_all_sites_in_key_order_with_an_opaque_cursor()
    {
        string[] keys = ["page-c", "page-a", "page-e", "page-b", "page-d"];
        foreach (var key in keys)
        {
            (await api.Admin().PostAsJsonAsync("/api/v1/admin/sites", NewSite(key), Ct)).EnsureSuccessStatusCode();
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = "/api/v1/admin/sites?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await api.Admin().GetFromJsonAsync<JsonElement>(url, Ct);
            Assert.True(page.GetProperty("items").GetArrayLength() <= 2);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("key").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 20);

        var ours = seen.Where(k => k.StartsWith("page-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["page-a", "page-b", "page-c", "page-d", "page-e"], ours);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(seen.Distinct(), seen);
    }
}

public sealed class SqliteSitesApiTests(SqliteApi fixture) : SitesApiTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlSitesApiTests(PostgreSqlApi fixture) : SitesApiTests(fixture.Api), IClassFixture<PostgreSqlApi>;
