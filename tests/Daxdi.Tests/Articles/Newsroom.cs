using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Articles;

/// <summary>
/// A site of its own inside a shared test host, with two authors and a section, and helpers to drive articles
/// over HTTP. Each test makes its own newsroom, so tests never see each other's data.
/// </summary>
public sealed class Newsroom
{
    private Newsroom(ApiFactory api, string site)
    {
        Api = api;
        Site = site;
    }

    public ApiFactory Api { get; }

    public string Site { get; }

    public string Admin => $"/api/v1/admin/sites/{Site}";

    /// <summary>The site's public delivery API.</summary>
    public string Public => $"/api/v1/sites/{Site}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<Newsroom> CreateAsync(ApiFactory api)
    {
        var newsroom = new Newsroom(api, $"site-{Guid.NewGuid():N}"[..20]);
        await newsroom.PostOkAsync("/api/v1/admin/sites", new
        {
            key = newsroom.Site, name = "Harbor Times", domain = "harbor.example", corsOrigins = Array.Empty<string>(), defaultLanguage = "en",
        });
        await newsroom.PostOkAsync($"{newsroom.Admin}/authors", new { name = "Jane Doe", bio = "Transport" });
        await newsroom.PostOkAsync($"{newsroom.Admin}/authors", new { name = "John Roe" });
        await newsroom.PostOkAsync($"{newsroom.Admin}/sections", new { name = "News" });
        return newsroom;
    }

    public static object Draft(string title = "Harbour bridge reopens", string body = "<p>The bridge reopens on Monday.</p>",
        string[]? authors = null, string[]? tags = null, string? slug = null, string bodyFormat = "html", string? section = "news") => new
    {
        title, slug, body, bodyFormat, authors = authors ?? ["jane-doe"], tags = tags ?? ["transport"], section,
    };

    public async Task<JsonElement> PostOkAsync(string url, object body, HttpClient? client = null)
    {
        var response = await (client ?? Api.Admin()).PostAsJsonAsync(url, body, Ct);
        Assert.True(response.IsSuccessStatusCode,
            $"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}{Api.ErrorLog()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public Task<HttpResponseMessage> CreateAsync(object body, HttpClient? client = null, bool publish = false, DateTime? publishedAt = null)
    {
        var query = new List<string>();
        if (publish)
        {
            query.Add("publish=true");
        }

        if (publishedAt is { } at)
        {
            query.Add("publishedAt=" + Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        }

        return (client ?? Api.Admin()).PostAsJsonAsync($"{Admin}/articles{(query.Count == 0 ? "" : "?" + string.Join('&', query))}", body, Ct);
    }

    /// <summary>Sends <c>POST …/articles/batch</c> with these items.</summary>
    public Task<HttpResponseMessage> BatchAsync(object[] items, bool publish = false, HttpClient? client = null) =>
        (client ?? Api.Admin()).PostAsJsonAsync($"{Admin}/articles/batch{(publish ? "?publish=true" : "")}", new { items }, Ct);

    public async Task<JsonElement> CreateArticleAsync(object? body = null, HttpClient? client = null) =>
        await PostOkAsync($"{Admin}/articles", body ?? Draft(), client);

    /// <summary>Creates an article and publishes it (optionally dated <paramref name="publishedAt"/>); returns it at version 2.</summary>
    public async Task<JsonElement> PublishedAsync(object? body = null, DateTime? publishedAt = null)
    {
        var draft = await CreateArticleAsync(body);
        return await ChangeAsync(HttpMethod.Post, $"{draft.Id()}/publish", 1, publishedAt is null ? null : new { publishedAt });
    }

    public async Task<JsonElement> GetAsync(Guid id)
    {
        var response = await Api.Admin().GetAsync($"/api/v1/admin/articles/{id}", Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Sends a change to an article with <c>If-Match</c> (omitted when <paramref name="version"/> is null).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, int? version, object? body = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/admin/articles/{path}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (version is { } v)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{v}\""));
        }

        return (client ?? Api.Admin()).SendAsync(request, Ct);
    }

    /// <summary>Sends a change and returns the article it answers with, failing on anything but 200.</summary>
    public async Task<JsonElement> ChangeAsync(HttpMethod method, string path, int version, object? body = null)
    {
        var response = await SendAsync(method, path, version, body);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}

internal static class ArticleJson
{
    public static Guid Id(this JsonElement article) => article.GetProperty("id").GetGuid();

    public static int Version(this JsonElement article) => article.GetProperty("version").GetInt32();

    public static string Str(this JsonElement article, string property) => article.GetProperty(property).GetString()!;
}
