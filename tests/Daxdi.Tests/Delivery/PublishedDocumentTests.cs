using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Articles;
using Daxdi.Application.Features.Delivery;
using Daxdi.Domain.Articles;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Daxdi.Tests.Delivery;

/// <summary>
/// A read by slug answers the article's stored document, and list and search pages hold its stored list item. Every
/// change the article shows replaces both in the same commit: rendered again for an article change, removed for a term
/// change (and rendered in the background). The output cache is off here, so a stale document could not hide behind it.
/// </summary>
public abstract class PublishedDocumentTests(ApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiFactory Api => api;

    [Fact]
    public void Documents_are_written_in_the_json_settings_of_the_http_responses()
    {
        using var client = Api.Client();
        var summary = new PublicArticleSummary
        {
            Id = Guid.CreateVersion7(), Slug = "cafe", Title = "Café <b>&</b> \"quoted\" \u2028 🚢", Subtitle = null, Excerpt = "It's here",
            Language = "fr", PublishedAt = DateTime.UnixEpoch, UpdatedAt = DateTime.UnixEpoch, ReadingTimeMinutes = 1, WordCount = 2,
            Authors = [new TermRef { Slug = "zoe", Name = "Zoé" }], Tags = [], Section = null, FeaturedImage = null,
        };
        var http = Api.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        var stored = Api.Services.GetRequiredService<IPublicJson>().Serialize(summary, typeof(PublicArticleSummary));

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(summary, http), stored);
    }

    [Fact]
    public async Task A_read_by_slug_comes_from_the_stored_document()
    {
        var room = await Newsroom.CreateAsync(Api);
        var article = await room.PublishedAsync(Newsroom.Draft(title: "Pier lights go green"));
        byte[] marker = [.. "{\"from\":\"the stored document\"}"u8];
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().PublishedArticleDocuments
                .Where(d => d.ArticleId == article.Id())
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.Json, marker).SetProperty(d => d.ETag, "\"marker\""), Ct);
        }

        var served = await Api.Client().GetAsync($"{room.Public}/articles/pier-lights-go-green", Ct);

        Assert.Equal(marker, await served.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("\"marker\"", served.Headers.ETag?.ToString());
        Assert.Equal($"site:{room.Site} article:{article.Id()}", string.Join(' ', served.Headers.GetValues("Surrogate-Key")));
    }

    [Fact]
    public async Task A_read_by_slug_answers_the_stored_document_byte_for_byte_and_without_it_renders_the_same_bytes()
    {
        var room = await Newsroom.CreateAsync(Api);
        var article = await room.PublishedAsync(Newsroom.Draft(title: "Ferry timetable changes"));
        var stored = await DocumentAsync(Api, article.Id());
        Assert.NotNull(stored);

        var served = await Api.Client().GetAsync($"{room.Public}/articles/ferry-timetable-changes", Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(stored.Json, await served.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(stored.ETag, served.Headers.ETag?.ToString());

        // As in a store that predates documents: the read renders the article itself, to the same bytes and ETag.
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().PublishedArticleDocuments
                .Where(d => d.ArticleId == article.Id()).ExecuteDeleteAsync(Ct);
        }

        var rendered = await Api.Client().GetAsync($"{room.Public}/articles/ferry-timetable-changes", Ct);
        Assert.Equal(stored.Json, await rendered.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(stored.ETag, rendered.Headers.ETag?.ToString());
        Assert.Null(await DocumentAsync(Api, article.Id()));

        await using (var scope = Api.Services.CreateAsyncScope())
        {
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            for (Guid? after = null; (after = await sender.Send(new RenderMissingDocuments(after, 50), Ct)) is not null;)
            {
            }
        }

        Assert.Equal(stored.Json, (await DocumentAsync(Api, article.Id()))?.Json);
    }

    [Fact]
    public async Task List_and_search_pages_hold_the_stored_list_items()
    {
        var room = await Newsroom.CreateAsync(Api);
        var older = await room.PublishedAsync(Newsroom.Draft(title: "Tram line extended"));
        var newer = await room.PublishedAsync(Newsroom.Draft(title: "Tram fares frozen"));
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().PublishedArticleDocuments
                .Where(d => d.ArticleId == older.Id())
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.Summary, [.. "{\"from\":\"the stored list item\"}"u8]), Ct);
        }

        foreach (var url in new[] { $"{room.Public}/articles", $"{room.Public}/articles?q=tram" })
        {
            var items = (await ReadAsync(url)).GetProperty("items");
            Assert.Equal(2, items.GetArrayLength());
            Assert.Equal(newer.Id().ToString(), items[0].Str("id"));
            Assert.Equal("the stored list item", items[1].Str("from"));
        }
    }

    [Fact]
    public async Task Pages_are_the_same_bytes_from_stored_list_items_as_rendered_without_them()
    {
        var room = await Newsroom.CreateAsync(Api);
        await room.PublishedAsync(Newsroom.Draft(title: "Harbour crane arrives", tags: ["harbour"]));
        await room.PublishedAsync(Newsroom.Draft(title: "Harbour dredging starts", tags: ["harbour", "works"]));
        string[] urls = [$"{room.Public}/articles", $"{room.Public}/articles?q=harbour", $"{room.Public}/articles?tag=works",
            $"{room.Public}/articles?limit=1", $"{room.Public}/articles?fields=slug,title,tags"];
        var stored = new List<(byte[] Body, string? ETag)>();
        foreach (var url in urls)
        {
            stored.Add(await BytesAsync(url));
        }

        await using (var scope = Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().PublishedArticleDocuments.ExecuteDeleteAsync(Ct);
        }

        for (var i = 0; i < urls.Length; i++)
        {
            var rendered = await BytesAsync(urls[i]);
            Assert.Equal(stored[i].Body, rendered.Body);
            Assert.Equal(stored[i].ETag, rendered.ETag);
        }

        Assert.Contains("Harbour crane arrives", System.Text.Encoding.UTF8.GetString(stored[0].Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_change_an_article_shows_replaces_its_document()
    {
        var room = await Newsroom.CreateAsync(Api);
        var article = await room.PublishedAsync(Newsroom.Draft(title: "Ferry strike ends", tags: ["transport"]));
        var url = $"{room.Public}/articles/ferry-strike-ends";

        await PutOkAsync($"{room.Admin}/tags/transport", new { name = "Transport & roads" });
        Assert.Equal("Transport & roads", (await ReadAsync(url)).GetProperty("tags")[0].Str("name"));
        Assert.Equal("Transport & roads", (await ReadAsync($"{room.Public}/articles")).GetProperty("items")[0].GetProperty("tags")[0].Str("name"));

        await PutOkAsync($"{room.Admin}/sections/news", new { name = "Local news" });
        Assert.Equal("Local news", (await ReadAsync(url)).GetProperty("section").Str("name"));

        await PutOkAsync($"{room.Admin}/authors/jane-doe", new { name = "Jane Doe-Okafor" });
        Assert.Equal("Jane Doe-Okafor", (await ReadAsync(url)).GetProperty("authors")[0].Str("name"));

        Assert.Equal(HttpStatusCode.NoContent, (await Api.Admin().DeleteAsync($"{room.Admin}/tags/transport?force=true", Ct)).StatusCode);
        Assert.Equal(0, (await ReadAsync(url)).GetProperty("tags").GetArrayLength());

        // Term changes leave the documents to the background renderer; it renders the current state.
        var rendered = await EventuallyDocumentAsync(Api, article.Id());
        var served = await Api.Client().GetAsync(url, Ct);
        Assert.Equal(rendered.Json, await served.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("Jane Doe-Okafor", System.Text.Encoding.UTF8.GetString(rendered.Json), StringComparison.Ordinal);

        Assert.Contains("Jane Doe-Okafor", System.Text.Encoding.UTF8.GetString(rendered.Summary), StringComparison.Ordinal);

        var version = (await room.GetAsync(article.Id())).Version();
        await room.ChangeAsync(HttpMethod.Put, $"{article.Id()}", version, Newsroom.Draft(title: "Ferry strike is over", slug: "ferry-strike-ends", tags: []));
        Assert.Equal("Ferry strike is over", (await ReadAsync(url)).Str("title"));
        Assert.Equal("Ferry strike is over", (await ReadAsync($"{room.Public}/articles")).GetProperty("items")[0].Str("title"));

        await room.ChangeAsync(HttpMethod.Post, $"{article.Id()}/unpublish", version + 1);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Client().GetAsync(url, Ct)).StatusCode);
        Assert.Null(await DocumentAsync(Api, article.Id()));
    }

    [Fact]
    public async Task A_store_without_documents_gets_them_in_the_background_at_start_up()
    {
        var room = await Newsroom.CreateAsync(Api);
        var first = await room.PublishedAsync(Newsroom.Draft(title: "Lighthouse restored"));
        var second = await room.PublishedAsync(Newsroom.Draft(title: "Lighthouse reopens"));
        var firstServed = await Api.Client().GetByteArrayAsync($"{room.Public}/articles/lighthouse-restored", Ct);
        var secondServed = await Api.Client().GetByteArrayAsync($"{room.Public}/articles/lighthouse-reopens", Ct);
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().PublishedArticleDocuments.ExecuteDeleteAsync(Ct);
        }

        await using var restarted = new ApiFactory(Api.Store, ("Delivery:OutputCacheEnabled", "false")) { OwnsStore = false };
        restarted.Client();

        Assert.Equal(firstServed, (await EventuallyDocumentAsync(restarted, first.Id())).Json);
        Assert.Equal(secondServed, (await EventuallyDocumentAsync(restarted, second.Id())).Json);
    }

    private static async Task<PublishedArticleDocument> EventuallyDocumentAsync(ApiFactory api, Guid articleId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        PublishedArticleDocument? document;
        while ((document = await DocumentAsync(api, articleId)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(document is not null, $"No document for article {articleId} after 10 s.");
        return document;
    }

    private async Task<JsonElement> ReadAsync(string url) => await Api.Client().GetFromJsonAsync<JsonElement>(url, Ct);

    private async Task<(byte[] Body, string? ETag)> BytesAsync(string url)
    {
        var response = await Api.Client().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(Ct), response.Headers.ETag?.ToString());
    }

    private async Task PutOkAsync(string url, object body)
    {
        var response = await Api.Admin().PutAsJsonAsync(url, body, Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task<PublishedArticleDocument?> DocumentAsync(ApiFactory api, Guid articleId)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().PublishedArticleDocuments.AsNoTracking()
            .SingleOrDefaultAsync(d => d.ArticleId == articleId, Ct);
    }

}

public sealed class SqlitePublishedDocumentTests(UncachedSqliteApi fixture) : PublishedDocumentTests(fixture.Api), IClassFixture<UncachedSqliteApi>;

public sealed class PostgreSqlPublishedDocumentTests(UncachedPostgreSqlApi fixture) : PublishedDocumentTests(fixture.Api), IClassFixture<UncachedPostgreSqlApi>;

/// <summary>An API host with the output cache off, over a fresh SQLite file.</summary>
public sealed class UncachedSqliteApi : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Api = new ApiFactory(TestStore.Sqlite(), ("Delivery:OutputCacheEnabled", "false"));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>An API host with the output cache off, over a fresh PostgreSQL database; skipped without a server.</summary>
public sealed class UncachedPostgreSqlApi : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Api = new ApiFactory(await TestStore.PostgreSqlAsync(), ("Delivery:OutputCacheEnabled", "false"));

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
