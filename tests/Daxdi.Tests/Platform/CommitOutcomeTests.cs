using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Domain.Articles;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Daxdi.Tests.Platform;

/// <summary>
/// PostgreSQL makes a commit durable and the connection breaks before its answer comes back (a server stopping, a
/// network cut: the store outage harness met it once in CI). The API must not run the command again, which would save
/// it twice, and must not answer <c>store.unavailable</c>, which says that nothing was saved.
/// </summary>
public sealed class CommitOutcomeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_commit_whose_answer_is_lost_answers_503_store_outcome_unknown_and_is_saved_once()
    {
        const string title = "Council votes on the harbour plan";
        var lostAnswer = new LoseTheCommitAnswer(title);
        await using var api = new ApiFactory(await TestStore.PostgreSqlAsync()) { TestServices = s => s.AddSingleton<IInterceptor>(lostAnswer) };
        var room = await Newsroom.CreateAsync(api);

        using var response = await room.CreateAsync(Newsroom.Draft(title: title));

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("store.outcome_unknown", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, lostAnswer.Lost);
        var listed = await api.Admin().GetFromJsonAsync<JsonElement>($"{room.Admin}/articles?limit=100", Ct);
        Assert.Single(listed.GetProperty("items").EnumerateArray(), a => a.GetProperty("title").GetString() == title);
        Assert.Contains(api.Logs, l => l.Message.Contains("broke during COMMIT", StringComparison.Ordinal));
    }

    /// <summary>
    /// Lets the first commit that saves an article titled <paramref name="title"/> reach the store, then throws what
    /// Npgsql throws when the connection drops before the answer: the commit is durable, the caller does not know.
    /// </summary>
    private sealed class LoseTheCommitAnswer(string title) : DbTransactionInterceptor
    {
        private int _lost;

        public int Lost => Volatile.Read(ref _lost);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken) =>
            eventData.Context!.ChangeTracker.Entries<Article>().Any(e => e.Entity.Title == title) && Interlocked.CompareExchange(ref _lost, 1, 0) == 0
                ? throw new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer"))
                : Task.CompletedTask;
    }
}
