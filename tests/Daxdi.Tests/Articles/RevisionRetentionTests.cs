using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Domain.Articles;
using Daxdi.Infrastructure.Publishing;
using Daxdi.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Articles;

/// <summary>The revision retention policy (ADR 0011): old drafts' saves go, what an editor may still need stays.</summary>
public sealed class RevisionRetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static RevisionStub Stub(int number, RevisionAction action, int days = 0, int? restoredFrom = null) =>
        new(Guid.CreateVersion7(), number, action, restoredFrom, Start.AddDays(days));

    [Fact]
    public void Old_draft_saves_go_while_the_first_the_live_states_restores_and_the_latest_stay()
    {
        List<RevisionStub> history =
        [
            Stub(1, RevisionAction.Created), Stub(2, RevisionAction.Updated), Stub(3, RevisionAction.Updated),
            Stub(4, RevisionAction.Published), Stub(5, RevisionAction.Updated), Stub(6, RevisionAction.Unpublished),
            Stub(7, RevisionAction.Updated), Stub(8, RevisionAction.Restored, restoredFrom: 2), Stub(9, RevisionAction.Updated),
            Stub(10, RevisionAction.Updated), Stub(11, RevisionAction.Updated, days: 60),
        ];

        var prunable = RevisionRetention.Prunable(history, keepAllAfter: Start.AddDays(30), keepLatest: 2);

        // Kept: 1 first, 2 restored from, 4 and 5 live, 6 ended the live state, 8 a restore, 10 and 11 the latest two.
        Assert.Equal([3, 7, 9], history.Where(r => prunable.Contains(r.Id)).Select(r => r.Number));
        Assert.Empty(RevisionRetention.Prunable(history, keepAllAfter: Start, keepLatest: 2));
    }

    [Fact]
    public async Task Pruned_revisions_leave_the_history_and_answer_revision_pruned()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(Start));
        await using var api = new ApiFactory(TestStore.Sqlite(), ("Revisions:PruningEnabled", "false"))
        {
            TestServices = services => services.AddSingleton<TimeProvider>(clock),
        };
        var room = await Newsroom.CreateAsync(api);
        var id = (await room.CreateArticleAsync(Newsroom.Draft(title: "Draft 1"))).Id();
        for (var version = 1; version < 15; version++)
        {
            await room.ChangeAsync(HttpMethod.Put, $"{id}", version, Newsroom.Draft(title: $"Draft {version + 1}"));
        }

        await room.ChangeAsync(HttpMethod.Post, $"{id}/publish", 15);
        await room.ChangeAsync(HttpMethod.Put, $"{id}", 16, Newsroom.Draft(title: "Correction"));

        clock.Advance(TimeSpan.FromDays(40));
        await using (var scope = api.Services.CreateAsyncScope())
        {
            var deleted = await RevisionPruningService.PruneAllAsync(scope.ServiceProvider.GetRequiredService<ISender>(),
                new RevisionOptions { KeepAllDays = 30, KeepLatest = 10 }, clock.GetUtcNow().UtcDateTime, TimeSpan.Zero, Ct);
            Assert.Equal(6, deleted);
        }

        var history = await api.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/articles/{id}/revisions?limit=100", Ct);
        Assert.Equal([17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 1], history.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("number").GetInt32()));
        await Problem.AssertAsync(await api.Admin().GetAsync($"/api/v1/admin/articles/{id}/revisions/3", Ct), HttpStatusCode.NotFound, "revision.pruned");
        await Problem.AssertAsync(await room.SendAsync(HttpMethod.Post, $"{id}/revisions/3/restore", 17), HttpStatusCode.NotFound, "revision.pruned");
        await Problem.AssertAsync(await api.Admin().GetAsync($"/api/v1/admin/articles/{id}/revisions/18", Ct), HttpStatusCode.NotFound, "revision.not_found");
        Assert.Equal("Correction", (await room.GetAsync(id)).Str("title"));
        Assert.Equal(17, (await room.GetAsync(id)).Version());
    }
}
