using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Daxdi.Tests.Consent;
using Daxdi.Tests.Events;
using Daxdi.Tests.Support;
using Daxdi.Tests.Unit;

namespace Daxdi.Tests.Articles.Import;

/// <summary>
/// <c>POST /api/v1/admin/sites/{site}/articles/import</c> over HTTP: a scraped page in, one clean draft out, a
/// near-duplicate refused, bad input refused with nothing stored. Fixtures are our own writing, shaped like scraped pages.
/// </summary>
public abstract class ImportApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_page_carrying_its_story_twice_becomes_one_clean_draft_stored_as_any_draft()
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await ImportAsync(room, "doubled-article.txt");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var imported = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var article = imported.GetProperty("article");
        Assert.Equal($"/api/v1/admin/articles/{article.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("draft", article.Str("status"));
        Assert.Equal("Ferry Crews Walk Out Over Night-Shift Rota", article.Str("title"));
        Assert.Equal("ferry-crews-walk-out-over-night-shift-rota", article.Str("slug"));
        var body = article.Str("body");
        Assert.Equal(1, Occurrences(body, "Crews on the three harbour ferry routes"));
        Assert.Equal(8, Occurrences(body, "<p>"));
        Assert.True(body.IndexOf("dawn on Tuesday", StringComparison.Ordinal) < body.IndexOf("pencilled in", StringComparison.Ordinal));
        foreach (var chrome in new[] { "Bitcoin", "Recommended", "cookie", "Preferences", "Continue", "Harbor Times" })
        {
            Assert.DoesNotContain(chrome, body, StringComparison.OrdinalIgnoreCase);
        }

        var report = imported.GetProperty("report");
        Assert.Equal("Ferry Crews Walk Out Over Night-Shift Rota", report.GetProperty("extracted").Str("title"));
        Assert.Equal(
            ["promo", "recommended", "recommended", "siteName", "cookieBanner", "cookieBanner", "cookieBanner", "cookieBanner", "cookieBanner", "cookieBanner"],
            report.GetProperty("removed").EnumerateArray().Select(r => r.Str("kind")));
        Assert.All(report.GetProperty("removed").EnumerateArray(), r => Assert.False(string.IsNullOrEmpty(r.Str("rule"))));
        var collapsed = report.GetProperty("collapsed");
        Assert.Equal(8, collapsed.GetProperty("repeatedParagraphs").GetInt32());
        Assert.Equal(1, collapsed.GetProperty("repeatedBlocks").GetInt32());
        Assert.Equal(JsonValueKind.Null, imported.GetProperty("duplicateOf").ValueKind);

        var revisions = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{article.Id()}/revisions", Ct);
        Assert.Equal(1, revisions.GetProperty("items").GetArrayLength());
        var typed = await Newsroom.CreateAsync(api);
        await typed.CreateArticleAsync();
        Assert.Equal((await OutboxTests.EventsAsync(api, typed.Site)).Select(e => e.Type),
            (await OutboxTests.EventsAsync(api, room.Site)).Select(e => e.Type));
    }

    [Fact]
    public async Task The_same_page_twice_gives_one_article_and_a_409_naming_it()
    {
        var room = await Newsroom.CreateAsync(api);
        var first = await (await ImportAsync(room, "doubled-article.txt")).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var again = await ImportAsync(room, "doubled-article.txt");

        var problem = await Problem.AssertAsync(again, HttpStatusCode.Conflict, "import.duplicate");
        var duplicateOf = problem.GetProperty("duplicateOf");
        Assert.Equal(first.GetProperty("article").Id(), duplicateOf.Id());
        Assert.Equal("ferry-crews-walk-out-over-night-shift-rota", duplicateOf.Str("slug"));
        Assert.True(duplicateOf.GetProperty("similarity").GetDouble() >= 0.99);
        Assert.True(duplicateOf.GetProperty("threshold").GetDouble() is > 0 and < 1);
        Assert.True(problem.GetProperty("report").GetProperty("collapsed").GetProperty("repeatedBlocks").GetInt32() == 1);
        Assert.Equal(1, await CountAsync(room));
    }

    [Fact]
    public async Task A_lightly_edited_copy_is_caught_and_allowDuplicate_stores_it_naming_the_original()
    {
        var room = await Newsroom.CreateAsync(api);
        var original = (await (await ImportAsync(room, "doubled-article.txt")).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("article");

        var edited = await ImportAsync(room, "near-duplicate.txt");
        var problem = await Problem.AssertAsync(edited, HttpStatusCode.Conflict, "import.duplicate");
        var similarity = problem.GetProperty("duplicateOf").GetProperty("similarity").GetDouble();
        Assert.InRange(similarity, problem.GetProperty("duplicateOf").GetProperty("threshold").GetDouble(), 0.999);
        Assert.Equal(1, await CountAsync(room));

        var allowed = await ImportAsync(room, "near-duplicate.txt", query: "?allowDuplicate=true");

        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var imported = await allowed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(original.Id(), imported.GetProperty("duplicateOf").Id());
        Assert.Equal("draft", imported.GetProperty("article").Str("status"));
        Assert.Equal(2, await CountAsync(room));
    }

    [Fact]
    public async Task A_different_article_on_the_same_topic_is_not_flagged()
    {
        var room = await Newsroom.CreateAsync(api);
        await ImportAsync(room, "doubled-article.txt");

        var response = await ImportAsync(room, "same-topic.txt");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var imported = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(JsonValueKind.Null, imported.GetProperty("duplicateOf").ValueKind);
        Assert.Equal("Ferry timetable to change after strike deal", imported.GetProperty("article").Str("title"));
    }

    [Fact]
    public async Task An_html_page_keeps_its_story_and_source_and_loses_its_chrome_and_anything_hostile()
    {
        var room = await Newsroom.CreateAsync(api);

        var page = await ImportAsync(room, "chrome-page.html", "text/html; charset=utf-8");
        var hostile = await ImportAsync(room, "hostile.html", "text/html");

        Assert.Equal(HttpStatusCode.Created, page.StatusCode);
        var imported = await page.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var article = imported.GetProperty("article");
        Assert.Equal("Sea wall repairs begin at Quay Street", article.Str("title"));
        Assert.Equal("Quayside Gazette", article.GetProperty("source").Str("name"));
        Assert.Equal("https://quayside-gazette.example/news/sea-wall-repairs", article.Str("canonicalUrl"));
        Assert.Equal("Ana Moreno", imported.GetProperty("report").GetProperty("extracted").Str("byline"));
        foreach (var chrome in new[] { "Sport", "dataLayer", "cookies", "Share:", "newsletter", "Related stories", "All rights reserved" })
        {
            Assert.DoesNotContain(chrome, article.Str("body"), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Created, hostile.StatusCode);
        var body = (await hostile.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("article").Str("body");
        Assert.Contains("nine in the evening", body, StringComparison.Ordinal);
        foreach (var attack in new[] { "<script", "onerror", "onclick", "javascript:", "<iframe", "<form", "evil.example" })
        {
            Assert.DoesNotContain(attack, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Bad_input_gets_its_own_code_and_stores_nothing()
    {
        var room = await Newsroom.CreateAsync(api);
        var url = $"{room.Admin}/articles/import";
        HttpContent Bytes(byte[] bytes, string type)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            return content;
        }

        await Problem.AssertAsync(await api.Admin().PostAsync(url, Bytes([], "text/plain"), Ct), HttpStatusCode.BadRequest, "import.empty");
        await Problem.AssertAsync(await api.Admin().PostAsync(url, Bytes("  \n\n "u8.ToArray(), "text/html"), Ct), HttpStatusCode.BadRequest, "import.empty");
        await Problem.AssertAsync(await api.Admin().PostAsync(url, Bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D], "text/html"), Ct),
            HttpStatusCode.BadRequest, "import.binary");
        await Problem.AssertAsync(await api.Admin().PostAsync(url, Bytes([0x48, 0xC3, 0x28, 0x69], "text/plain; charset=utf-8"), Ct),
            HttpStatusCode.BadRequest, "import.undecodable");
        await Problem.AssertAsync(await api.Admin().PostAsync(url, Bytes("Hello"u8.ToArray(), "text/plain; charset=x-unheard-of"), Ct),
            HttpStatusCode.BadRequest, "import.unknown_charset");
        await Problem.AssertAsync(await api.Admin().PostAsync(url, JsonContent.Create(new { title = "x" }), Ct),
            HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        await Problem.AssertAsync(await api.Admin().PostAsync(url, Bytes(new byte[5 * 1024 * 1024 + 1], "text/plain"), Ct),
            HttpStatusCode.RequestEntityTooLarge, "request.body_too_large");
        var deep = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 5000)) + "deep</body></html>";
        await Problem.AssertAsync(await api.Admin().PostAsync(url, Bytes(Encoding.UTF8.GetBytes(deep), "text/html"), Ct),
            HttpStatusCode.BadRequest, "import.too_complex");

        var chromeOnly = "Harbor Times now accepts payments with Bitcoin\n\nRecommended by Our Editors\n\nHarbor Times\n\nPreferences";
        var nothing = await api.Admin().PostAsync(url, Bytes(Encoding.UTF8.GetBytes(chromeOnly), "text/plain"), Ct);
        var problem = await Problem.AssertAsync(nothing, HttpStatusCode.UnprocessableEntity, "import.not_an_article");
        Assert.Equal("promo", problem.GetProperty("report").GetProperty("removed")[0].Str("kind"));

        Assert.Equal(0, await CountAsync(room));
        Assert.Empty(await OutboxTests.EventsAsync(api, room.Site));
    }

    [Fact]
    public async Task A_latin1_page_is_read_in_its_declared_charset()
    {
        var room = await Newsroom.CreateAsync(api);
        var text = PageExtractorTests.Fixture("same-topic.txt").Replace("old town", "café quarter", StringComparison.Ordinal);
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(text));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain; charset=ISO-8859-1");

        var response = await api.Admin().PostAsync($"{room.Admin}/articles/import", content, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("café quarter", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("article").Str("body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_is_for_editors_and_admins()
    {
        var room = await Newsroom.CreateAsync(api);
        var jane = api.Client(await api.CreateKeyAsync("author", room.Site, "jane-doe"));
        var editor = api.Client(await api.CreateKeyAsync("editor"));

        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(room, "same-topic.txt", client: jane)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ImportAsync(room, "same-topic.txt", client: api.Client())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ImportAsync(room, "same-topic.txt", client: editor)).StatusCode);
        await Problem.AssertAsync(await api.Admin().PostAsync("/api/v1/admin/sites/no-such-site/articles/import",
            new StringContent(PageExtractorTests.Fixture("same-topic.txt"), Encoding.UTF8, "text/plain"), Ct), HttpStatusCode.NotFound, "site.not_found");
    }

    [Fact]
    public async Task The_demo_news_site_has_a_draft_the_importer_made()
    {
        var list = await api.Admin().GetFromJsonAsync<JsonElement>("/api/v1/admin/sites/daxdi/articles?status=draft&limit=50", Ct);
        var draft = Assert.Single(list.GetProperty("items").EnumerateArray(), a => a.Str("title") == "Night Trams Return to the River Line");

        var article = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{draft.Id()}", Ct);
        var body = article.Str("body");
        Assert.Equal(1, Occurrences(body, "Night trams will run again"));
        foreach (var chrome in new[] { "Bitcoin", "Recommended", "cookie", "Daxdi News" })
        {
            Assert.DoesNotContain(chrome, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Similar_lists_the_near_copy_with_its_score_not_the_other_story_and_never_a_deleted_article()
    {
        var room = await Newsroom.CreateAsync(api);
        var original = (await (await ImportAsync(room, "doubled-article.txt")).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("article");
        var copy = (await (await ImportAsync(room, "near-duplicate.txt", query: "?allowDuplicate=true")).Content.ReadFromJsonAsync<JsonElement>(Ct))
            .GetProperty("article");
        var other = (await (await ImportAsync(room, "same-topic.txt")).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("article");

        var similar = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{original.Id()}/similar", Ct);

        var items = similar.GetProperty("items").EnumerateArray().ToList();
        var first = items[0];
        Assert.Equal(copy.Id(), first.Id());
        Assert.True(first.GetProperty("duplicate").GetBoolean());
        Assert.InRange(first.GetProperty("similarity").GetDouble(), similar.GetProperty("threshold").GetDouble(), 0.999);
        Assert.DoesNotContain(items, i => i.Id() == other.Id() && i.GetProperty("duplicate").GetBoolean());
        Assert.DoesNotContain(items, i => i.Id() == original.Id());

        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/admin/articles/{copy.Id()}");
        delete.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin().SendAsync(delete, Ct)).StatusCode);
        var after = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{original.Id()}/similar", Ct);
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), i => i.Id() == copy.Id());
        var again = await Problem.AssertAsync(await ImportAsync(room, "near-duplicate.txt"), HttpStatusCode.Conflict, "import.duplicate");
        Assert.Equal(original.Id(), again.GetProperty("duplicateOf").Id());

        await Problem.AssertAsync(await api.Admin().GetAsync($"/api/v1/admin/articles/{Guid.NewGuid()}/similar", Ct), HttpStatusCode.NotFound, "article.not_found");
        await Problem.AssertAsync(await api.Admin().GetAsync($"/api/v1/admin/articles/{original.Id()}/similar?limit=51", Ct),
            HttpStatusCode.BadRequest, "request.validation_failed");
    }

    private Task<HttpResponseMessage> ImportAsync(Newsroom room, string fixture, string type = "text/plain", string query = "",
        HttpClient? client = null) =>
        (client ?? api.Admin()).PostAsync($"{room.Admin}/articles/import{query}",
            new StringContent(PageExtractorTests.Fixture(fixture), Encoding.UTF8, MediaTypeHeaderValue.Parse(type)), Ct);

    private async Task<int> CountAsync(Newsroom room) =>
        (await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/articles", Ct)).GetProperty("items").GetArrayLength();

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}

public sealed class SqliteImportApiTests(SqliteConsentApi fixture) : ImportApiTests(fixture.Api), IClassFixture<SqliteConsentApi>;

public sealed class PostgreSqlImportApiTests(PostgreSqlConsentApi fixture) : ImportApiTests(fixture.Api), IClassFixture<PostgreSqlConsentApi>;
