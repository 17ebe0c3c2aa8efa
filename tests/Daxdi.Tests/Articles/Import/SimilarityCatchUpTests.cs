using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using Daxdi.Tests.Support;
using Daxdi.Tests.Unit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Articles.Import;

/// <summary>
/// A node's similarity index loads a site's archive a page at a time (<c>Similarity:ReadPageSize</c>): a second node
/// that starts on the same store, with pages of two, still sees every article, also when a page's articles all
/// changed at one instant.
/// </summary>
public sealed class SimilarityCatchUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_that_loads_the_archive_in_pages_of_two_finds_the_original_behind_a_page_of_one_instant()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var store = TestStore.Sqlite();
        await using var writer = new ApiFactory(store, ("Similarity:ReadPageSize", "2")) { TestServices = s => s.AddSingleton<TimeProvider>(clock) };
        var room = await Newsroom.CreateAsync(writer);
        // Two articles changed at one instant, then the original, then one more: the original is on the second page.
        await room.CreateArticleAsync(Newsroom.Draft(title: "Council sets the harbour budget", body: "<p>The council voted the budget for the harbour works.</p>"));
        await room.CreateArticleAsync(Newsroom.Draft(title: "Library opens on Sundays", body: "<p>The central library will open on Sundays from May.</p>"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var original = await ImportAsync(writer, room, "doubled-article.txt");
        Assert.Equal(HttpStatusCode.Created, original.StatusCode);
        clock.Advance(TimeSpan.FromSeconds(1));
        await room.CreateArticleAsync(Newsroom.Draft(title: "Market hall repairs begin", body: "<p>Scaffolding goes up around the market hall.</p>"));

        await using var node = new ApiFactory(store, ("Similarity:ReadPageSize", "2")) { OwnsStore = false };
        var copy = await Problem.AssertAsync(await ImportAsync(node, room, "near-duplicate.txt"), HttpStatusCode.Conflict, "import.duplicate");

        Assert.Equal((await original.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("article").Id(),
            copy.GetProperty("duplicateOf").Id());
    }

    private static Task<HttpResponseMessage> ImportAsync(ApiFactory api, Newsroom room, string fixture) =>
        api.Admin().PostAsync($"{room.Admin}/articles/import",
            new StringContent(PageExtractorTests.Fixture(fixture), Encoding.UTF8, MediaTypeHeaderValue.Parse("text/plain")), Ct);
}
