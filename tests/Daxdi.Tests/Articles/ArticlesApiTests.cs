using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Tests.Support;

namespace Daxdi.Tests.Articles;

/// <summary>The editorial admin API over HTTP, run on every store the environment provides.</summary>
public abstract class ArticlesApiTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_returns_201_with_location_etag_and_computed_fields()
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await room.CreateAsync(Newsroom.Draft(title: "Harbour Bridge: reopens on Monday",
            body: "<p>The bridge reopens on Monday.</p><p>Cars first.</p>"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        var article = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal($"/api/v1/admin/articles/{article.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal("harbour-bridge-reopens-on-monday", article.Str("slug"));
        Assert.Equal("draft", article.Str("status"));
        Assert.Equal(room.Site, article.Str("site"));
        Assert.Equal(7, article.GetProperty("wordCount").GetInt32());
        Assert.Equal(1, article.GetProperty("readingTimeMinutes").GetInt32());
        Assert.Equal("The bridge reopens on Monday. Cars first.", article.Str("excerpt"));
        Assert.True(article.GetProperty("excerptGenerated").GetBoolean());
        Assert.Equal("en", article.Str("language"));
        Assert.Equal("jane-doe", article.GetProperty("authors")[0].Str("slug"));
        Assert.Equal("News", article.GetProperty("section").Str("name"));
        Assert.StartsWith("key:", article.Str("createdBy"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, article.GetProperty("publishedAt").ValueKind);

        var read = await api.Admin().GetAsync($"/api/v1/admin/articles/{article.Id()}", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
    }

    [Theory]
    [InlineData("markdown", 1000, ">", "article.body_too_deep")]
    [InlineData("html", 13_000, "<div>", "article.body_too_deep")]
    [InlineData("html", 15_000, "<br>", "article.body_too_complex")]
    public async Task A_body_over_a_rendering_limit_is_400_on_create_and_replace_and_changes_nothing(
        string bodyFormat, int times, string unit, string code)
    {
        var room = await Newsroom.CreateAsync(api);
        var hostile = Newsroom.Draft(body: string.Concat(Enumerable.Repeat(unit, times)), bodyFormat: bodyFormat);

        await Problem.AssertAsync(await room.CreateAsync(hostile), HttpStatusCode.BadRequest, code);
        var draft = await room.CreateArticleAsync();
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{draft.Id()}", 1, hostile), HttpStatusCode.BadRequest, code);

        var unchanged = await room.GetAsync(draft.Id());
        Assert.Equal(1, unchanged.Version());
        Assert.Equal(draft.Str("html"), unchanged.Str("html"));
    }

    [Fact]
    public async Task A_markdown_body_is_rendered_and_sanitized_and_its_source_kept()
    {
        var room = await Newsroom.CreateAsync(api);
        const string markdown = "## Timetable\n\nTrains run **every ten minutes**.<script>alert(1)</script>\n\n[map](javascript:alert(1))";

        var article = await room.CreateArticleAsync(Newsroom.Draft(body: markdown, bodyFormat: "markdown"));

        Assert.Equal("markdown", article.Str("bodyFormat"));
        Assert.Equal(markdown, article.Str("body"));
        var html = article.Str("html");
        Assert.Contains("<h2>Timetable</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>every ten minutes</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_html_body_is_sanitized_on_write()
    {
        var room = await Newsroom.CreateAsync(api);

        var article = await room.CreateArticleAsync(Newsroom.Draft(
            body: "<p onclick=\"steal()\">Hello <img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a></p><script>alert(1)</script>"));

        var stored = await room.GetAsync(article.Id());
        Assert.Equal("<p>Hello <img src=\"x\"><a>x</a></p>", stored.Str("html"));
        Assert.Equal(stored.Str("html"), stored.Str("body"));
    }

    [Fact]
    public async Task Slug_collisions_get_a_suffix_and_an_explicit_taken_slug_is_409()
    {
        var room = await Newsroom.CreateAsync(api);

        var first = await room.CreateArticleAsync(Newsroom.Draft(title: "Budget vote"));
        var second = await room.CreateArticleAsync(Newsroom.Draft(title: "Budget vote!"));
        var third = await room.CreateArticleAsync(Newsroom.Draft(title: "Budget  vote"));

        Assert.Equal("budget-vote", first.Str("slug"));
        Assert.Equal("budget-vote-2", second.Str("slug"));
        Assert.Equal("budget-vote-3", third.Str("slug"));
        await Problem.AssertAsync(await room.CreateAsync(Newsroom.Draft(slug: "budget-vote")), HttpStatusCode.Conflict, "article.slug_taken");
    }

    [Fact]
    public async Task A_former_slug_stays_reserved_for_its_article()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync(Newsroom.Draft(title: "Ferry strike"));

        var renamed = await room.ChangeAsync(HttpMethod.Put, $"{article.Id()}", 1, Newsroom.Draft(title: "Ferry strike", slug: "ferry-strike-ends"));

        Assert.Equal("ferry-strike-ends", renamed.Str("slug"));
        Assert.Equal(["ferry-strike"], renamed.GetProperty("formerSlugs").EnumerateArray().Select(s => s.GetString()));
        await Problem.AssertAsync(await room.CreateAsync(Newsroom.Draft(slug: "ferry-strike")), HttpStatusCode.Conflict, "article.slug_taken");
        var generated = await room.CreateArticleAsync(Newsroom.Draft(title: "Ferry strike"));
        Assert.Equal("ferry-strike-2", generated.Str("slug"));
    }

    [Fact]
    public async Task Reserved_words_are_refused_as_slugs_and_avoided_when_generating()
    {
        var room = await Newsroom.CreateAsync(api);

        var generated = await room.CreateArticleAsync(Newsroom.Draft(title: "Search"));
        var explicitSlug = await room.CreateAsync(Newsroom.Draft(slug: "rss"));

        Assert.Equal("search-2", generated.Str("slug"));
        var problem = await Problem.AssertAsync(explicitSlug, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("slug", out _));
    }

    [Theory]
    [InlineData("title", "a")]
    [InlineData("slug", "Not A Slug")]
    [InlineData("subtitle", "s")]
    [InlineData("excerpt", "e")]
    [InlineData("tags", "t")]
    [InlineData("authors", "a")]
    [InlineData("canonicalUrl", "ftp://example.com/x")]
    [InlineData("language", "not a language")]
    [InlineData("bodyFormat", "rtf")]
    public async Task Invalid_fields_are_400_with_the_field_named(string field, string seed)
    {
        var room = await Newsroom.CreateAsync(api);
        var body = JsonSerializer.SerializeToNode(Newsroom.Draft(tags: []))!.AsObject();
        body[field] = field switch
        {
            "title" => new string('t', 201),
            "subtitle" => new string('s', 301),
            "excerpt" => new string('e', 501),
            "tags" => JsonSerializer.SerializeToNode(Enumerable.Range(0, 21).Select(i => $"tag {i}")),
            "authors" => JsonSerializer.SerializeToNode(Enumerable.Range(0, 11).Select(i => $"author-{i}")),
            _ => seed,
        };

        var response = await api.Admin().PostAsJsonAsync($"{room.Admin}/articles", body, Ct);

        if (field == "bodyFormat")
        {
            var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.malformed_json");
            Assert.Contains("$.bodyFormat", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        else
        {
            var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_400_and_one_just_under_is_accepted()
    {
        var room = await Newsroom.CreateAsync(api);
        var paragraph = "<p>" + new string('x', 1000) + "</p>";
        var under = string.Concat(Enumerable.Repeat(paragraph, (64 * 1024 / paragraph.Length) - 1));
        var over = under + new string('y', paragraph.Length * 2);

        var accepted = await room.CreateAsync(Newsroom.Draft(body: under));
        var refused = await room.CreateAsync(Newsroom.Draft(body: over));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var problem = await Problem.AssertAsync(refused, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task Unknown_authors_and_sections_are_400_naming_the_entry()
    {
        var room = await Newsroom.CreateAsync(api);

        var response = await room.CreateAsync(Newsroom.Draft(authors: ["jane-doe", "nobody"], section: "sport"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "request.validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("authors[1]", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("section", out _), errors.ToString());
    }

    [Fact]
    public async Task An_image_without_url_or_a_source_without_name_is_400_and_the_other_parts_are_optional()
    {
        var room = await Newsroom.CreateAsync(api);

        var noUrl = await room.CreateAsync(new { title = "Pictured", body = "<p>x</p>", featuredImage = new { alt = "A bridge" } });
        var noName = await room.CreateAsync(new { title = "Sourced", body = "<p>x</p>", source = new { url = "https://wire.example/a" } });
        var minimal = await room.CreateArticleAsync(new
        {
            title = "Pictured and sourced", body = "<p>x</p>", featuredImage = new { url = "https://cdn.example/a.jpg" },
            source = new { name = "Harbor Wire" }, seo = new { },
        });

        Assert.Contains("'url'", (await Problem.AssertAsync(noUrl, HttpStatusCode.BadRequest, "request.missing_property")).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'name'", (await Problem.AssertAsync(noName, HttpStatusCode.BadRequest, "request.missing_property")).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, minimal.GetProperty("featuredImage").GetProperty("alt").ValueKind);
        Assert.Equal(JsonValueKind.Null, minimal.GetProperty("source").GetProperty("url").ValueKind);
        Assert.Equal(JsonValueKind.Null, minimal.GetProperty("seo").GetProperty("metaTitle").ValueKind);
    }

    [Fact]
    public async Task Tags_are_created_on_first_use_by_name_and_reused_by_slug_or_name()
    {
        var room = await Newsroom.CreateAsync(api);

        var first = await room.CreateArticleAsync(Newsroom.Draft(tags: ["City Hall", "Élections 2026"]));
        var second = await room.CreateArticleAsync(Newsroom.Draft(tags: ["city-hall", "city hall"]));

        Assert.Equal(["city-hall", "elections-2026"], first.GetProperty("tags").EnumerateArray().Select(t => t.Str("slug")));
        Assert.Equal("Élections 2026", first.GetProperty("tags")[1].Str("name"));
        Assert.Equal(["city-hall"], second.GetProperty("tags").EnumerateArray().Select(t => t.Str("slug")));
        var tags = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/tags", Ct);
        Assert.Equal(2, tags.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Replace_requires_if_match_428_refuses_a_stale_one_412_and_saves_with_a_new_etag()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync();
        var changed = Newsroom.Draft(title: "Harbour bridge reopens early");

        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{article.Id()}", null, changed),
            HttpStatusCode.PreconditionRequired, "request.if_match_required");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{article.Id()}", 7, changed),
            HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        var saved = await room.SendAsync(HttpMethod.Put, $"{article.Id()}", 1, changed);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("\"2\"", saved.Headers.ETag?.ToString());
        var body = await saved.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Harbour bridge reopens early", body.Str("title"));
        Assert.Equal(article.Str("slug"), body.Str("slug"));
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{article.Id()}", 1, changed),
            HttpStatusCode.PreconditionFailed, "request.version_mismatch");
    }

    [Theory]
    [InlineData("publish")]
    [InlineData("unpublish")]
    [InlineData("archive")]
    [InlineData("schedule")]
    public async Task Workflow_actions_require_if_match(string action)
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync();

        var response = await room.SendAsync(HttpMethod.Post, $"{article.Id()}/{action}", null,
            action == "schedule" ? new { at = DateTime.UtcNow.AddDays(1) } : null);

        await Problem.AssertAsync(response, HttpStatusCode.PreconditionRequired, "request.if_match_required");
    }

    [Fact]
    public async Task The_workflow_runs_draft_published_archived_draft_scheduled_published_and_refuses_the_rest_with_422()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync();
        var id = article.Id();

        var published = await room.ChangeAsync(HttpMethod.Post, $"{id}/publish", 1);
        Assert.Equal("published", published.Str("status"));
        var firstPublishedAt = published.GetProperty("publishedAt").GetDateTime();
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{id}/publish", 2), (HttpStatusCode)422, "article.invalid_transition");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{id}/schedule", 2, new { at = DateTime.UtcNow.AddDays(1) }),
            (HttpStatusCode)422, "article.invalid_transition");

        var archived = await room.ChangeAsync(HttpMethod.Post, $"{id}/archive", 2);
        Assert.Equal("archived", archived.Str("status"));
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{id}/publish", 3), (HttpStatusCode)422, "article.invalid_transition");

        var draft = await room.ChangeAsync(HttpMethod.Post, $"{id}/unpublish", 3);
        Assert.Equal("draft", draft.Str("status"));
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{id}/archive", 4), (HttpStatusCode)422, "article.invalid_transition");

        var at = DateTime.UtcNow.AddDays(3);
        var scheduled = await room.ChangeAsync(HttpMethod.Post, $"{id}/schedule", 4, new { at });
        Assert.Equal("scheduled", scheduled.Str("status"));
        Assert.Equal(at, scheduled.GetProperty("scheduledAt").GetDateTime(), TimeSpan.FromMilliseconds(1));

        var republished = await room.ChangeAsync(HttpMethod.Post, $"{id}/publish", 5);
        Assert.Equal("published", republished.Str("status"));
        Assert.Equal(firstPublishedAt, republished.GetProperty("publishedAt").GetDateTime());
        Assert.Equal(JsonValueKind.Null, republished.GetProperty("scheduledAt").ValueKind);
    }

    [Fact]
    public async Task Publish_can_set_publishedAt_and_schedule_refuses_the_past()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync();
        var backdated = new DateTime(2026, 1, 15, 8, 0, 0, DateTimeKind.Utc);

        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{article.Id()}/schedule", 1, new { at = DateTime.UtcNow.AddMinutes(-1) }),
            HttpStatusCode.BadRequest, "request.validation_failed");
        var published = await room.ChangeAsync(HttpMethod.Post, $"{article.Id()}/publish", 1, new { publishedAt = backdated });

        Assert.Equal(backdated, published.GetProperty("publishedAt").GetDateTime());
    }

    [Fact]
    public async Task Every_save_and_action_stores_a_revision_and_restore_adds_one_without_rewriting_history()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync(Newsroom.Draft(title: "First take", body: "<p>Original body.</p>"));
        var id = article.Id();
        await room.ChangeAsync(HttpMethod.Put, $"{id}", 1, Newsroom.Draft(title: "Second take", body: "<p>Rewritten body.</p>", tags: ["ferries"]));
        await room.ChangeAsync(HttpMethod.Post, $"{id}/publish", 2);

        var restored = await room.SendAsync(HttpMethod.Post, $"{id}/revisions/1/restore", 3);

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("\"4\"", restored.Headers.ETag?.ToString());
        var now = await restored.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("First take", now.Str("title"));
        Assert.Equal("<p>Original body.</p>", now.Str("html"));
        Assert.Equal("transport", now.GetProperty("tags")[0].Str("slug"));
        Assert.Equal("published", now.Str("status"));

        var history = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{id}/revisions", Ct);
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([4, 3, 2, 1], items.Select(r => r.GetProperty("number").GetInt32()));
        Assert.Equal(["restored", "published", "updated", "created"], items.Select(r => r.Str("action")));
        Assert.Equal(1, items[0].GetProperty("restoredFrom").GetInt32());
        Assert.Contains("title", items[2].GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        Assert.StartsWith("key:", items[0].Str("createdBy"), StringComparison.Ordinal);

        var second = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{id}/revisions/2", Ct);
        Assert.Equal("Second take", second.GetProperty("article").Str("title"));
        Assert.Equal("ferries", second.GetProperty("article").GetProperty("tags")[0].Str("slug"));
        await Problem.AssertAsync(await api.Admin().GetAsync($"/api/v1/admin/articles/{id}/revisions/9", Ct), HttpStatusCode.NotFound, "revision.not_found");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{id}/revisions/1/restore", null),
            HttpStatusCode.PreconditionRequired, "request.if_match_required");
    }

    [Fact]
    public async Task Revisions_are_paginated_newest_first()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync();
        for (var v = 1; v <= 4; v++)
        {
            await room.ChangeAsync(HttpMethod.Put, $"{article.Id()}", v, Newsroom.Draft(title: $"Take {v}"));
        }

        var first = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{article.Id()}/revisions?limit=3", Ct);
        var next = first.Str("nextCursor");
        var second = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{article.Id()}/revisions?limit=3&cursor={next}", Ct);

        Assert.Equal([5, 4, 3], first.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("number").GetInt32()));
        Assert.Equal([2, 1], second.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("number").GetInt32()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Recommendations_are_an_ordered_list_of_other_articles_of_the_same_site()
    {
        var room = await Newsroom.CreateAsync(api);
        var other = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync();
        var a = await room.CreateArticleAsync(Newsroom.Draft(title: "Pick A"));
        var b = await room.CreateArticleAsync(Newsroom.Draft(title: "Pick B"));
        var foreign = await other.CreateArticleAsync();
        var id = article.Id();

        async Task Refused(object ids, string field)
        {
            var problem = await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{id}/recommendations", 1, new { articleIds = ids }),
                HttpStatusCode.BadRequest, "request.validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }

        await Refused(new[] { a.Id(), id }, "articleIds[1]");
        await Refused(new[] { a.Id(), a.Id() }, "articleIds");
        await Refused(new[] { b.Id(), foreign.Id() }, "articleIds[1]");
        await Refused(new[] { Guid.NewGuid() }, "articleIds[0]");
        await Refused(Enumerable.Range(0, 11).Select(_ => Guid.NewGuid()).ToArray(), "articleIds");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Put, $"{id}/recommendations", null, new { articleIds = new[] { a.Id() } }),
            HttpStatusCode.PreconditionRequired, "request.if_match_required");

        var set = await room.ChangeAsync(HttpMethod.Put, $"{id}/recommendations", 1, new { articleIds = new[] { b.Id(), a.Id() } });

        Assert.Equal(["Pick B", "Pick A"], set.GetProperty("recommendations").EnumerateArray().Select(r => r.Str("title")));
        Assert.Equal(2, set.Version());
        var reordered = await room.ChangeAsync(HttpMethod.Put, $"{id}/recommendations", 2, new { articleIds = new[] { a.Id() } });
        Assert.Equal(["Pick A"], reordered.GetProperty("recommendations").EnumerateArray().Select(r => r.Str("title")));
    }

    [Fact]
    public async Task Delete_is_soft_requires_if_match_and_hides_the_article_everywhere()
    {
        var room = await Newsroom.CreateAsync(api);
        var article = await room.CreateArticleAsync(Newsroom.Draft(title: "Going away"));
        var id = article.Id();

        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Delete, $"{id}", null), HttpStatusCode.PreconditionRequired, "request.if_match_required");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Delete, $"{id}", 5), HttpStatusCode.PreconditionFailed, "request.version_mismatch");
        var deleted = await room.SendAsync(HttpMethod.Delete, $"{id}", 1);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problem.AssertAsync(await api.Admin().GetAsync($"/api/v1/admin/articles/{id}", Ct), HttpStatusCode.NotFound, "article.not_found");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{id}/publish", 2), HttpStatusCode.NotFound, "article.not_found");
        var list = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/articles", Ct);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        var again = await room.CreateArticleAsync(Newsroom.Draft(title: "Going away"));
        Assert.Equal("going-away-2", again.Str("slug"));
    }

    [Fact]
    public async Task A_site_with_live_articles_cannot_be_deleted_and_goes_with_its_history_once_they_are_gone()
    {
        var room = await Newsroom.CreateAsync(api);
        var a = await room.CreateArticleAsync(Newsroom.Draft(title: "One"));
        var b = await room.CreateArticleAsync(Newsroom.Draft(title: "Two"));
        await room.ChangeAsync(HttpMethod.Put, $"{a.Id()}/recommendations", 1, new { articleIds = new[] { b.Id() } });
        await room.ChangeAsync(HttpMethod.Put, $"{b.Id()}", 1, Newsroom.Draft(title: "Two", slug: "two-renamed"));

        await Problem.AssertAsync(await DeleteSiteAsync(room), HttpStatusCode.Conflict, "site.has_articles");
        await room.SendAsync(HttpMethod.Delete, $"{a.Id()}", 2);
        await room.SendAsync(HttpMethod.Delete, $"{b.Id()}", 2);
        var deleted = await DeleteSiteAsync(room);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problem.AssertAsync(await api.Admin().GetAsync(room.Admin, Ct), HttpStatusCode.NotFound, "site.not_found");
        await Problem.AssertAsync(await api.Admin().GetAsync($"/api/v1/admin/articles/{a.Id()}/revisions", Ct), HttpStatusCode.NotFound, "article.not_found");
    }

    private async Task<HttpResponseMessage> DeleteSiteAsync(Newsroom room)
    {
        var site = await api.Admin().GetAsync(room.Admin, Ct);
        var delete = new HttpRequestMessage(HttpMethod.Delete, room.Admin);
        delete.Headers.IfMatch.Add(site.Headers.ETag!);
        return await api.Admin().SendAsync(delete, Ct);
    }

    [Fact]
    public async Task The_list_filters_by_status_author_tag_section_and_title_and_pages_with_a_cursor()
    {
        var room = await Newsroom.CreateAsync(api);
        var budget = await room.CreateArticleAsync(Newsroom.Draft(title: "Council budget vote", tags: ["politics"]));
        await room.CreateArticleAsync(Newsroom.Draft(title: "Ferry timetable", authors: ["john-roe"], section: null));
        var strike = await room.CreateArticleAsync(Newsroom.Draft(title: "Ferry strike", authors: ["john-roe", "jane-doe"], tags: ["politics"]));
        await room.ChangeAsync(HttpMethod.Post, $"{strike.Id()}/publish", 1);

        async Task<string[]> Titles(string query)
        {
            var response = await api.Admin().GetAsync($"{room.Admin}/articles?{query}", Ct);
            Assert.True(response.IsSuccessStatusCode, $"{query}: {await response.Content.ReadAsStringAsync(Ct)}");
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            return [.. page.GetProperty("items").EnumerateArray().Select(a => a.Str("title"))];
        }

        Assert.Equal(["Ferry strike", "Ferry timetable", "Council budget vote"], await Titles(""));
        Assert.Equal(["Ferry strike"], await Titles("status=published"));
        Assert.Equal(["Ferry timetable", "Council budget vote"], await Titles("status=draft"));
        Assert.Equal(["Ferry strike", "Ferry timetable"], await Titles("author=john-roe"));
        Assert.Equal(["Ferry strike", "Council budget vote"], await Titles("tag=politics"));
        Assert.Equal(["Ferry strike", "Council budget vote"], await Titles("section=news"));
        Assert.Equal(["Ferry strike", "Ferry timetable"], await Titles("q=FERRY"));
        Assert.Empty(await Titles("tag=unknown"));

        var first = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/articles?limit=2", Ct);
        var rest = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/articles?limit=2&cursor={first.Str("nextCursor")}", Ct);
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.Equal(budget.Id(), rest.GetProperty("items")[0].Id());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
        await Problem.AssertAsync(await api.Admin().GetAsync($"{room.Admin}/articles?status=live", Ct), HttpStatusCode.BadRequest, "request.validation_failed");
        await Problem.AssertAsync(await api.Admin().GetAsync($"{room.Admin}/articles?cursor=bogus", Ct), HttpStatusCode.BadRequest, "request.validation_failed");
        await Problem.AssertAsync(await api.Admin().GetAsync("/api/v1/admin/sites/no-such-site/articles", Ct), HttpStatusCode.NotFound, "site.not_found");
    }
}

public sealed class SqliteArticlesApiTests(SqliteApi fixture) : ArticlesApiTests(fixture.Api), IClassFixture<SqliteApi>;

public sealed class PostgreSqlArticlesApiTests(PostgreSqlApi fixture) : ArticlesApiTests(fixture.Api), IClassFixture<PostgreSqlApi>;
