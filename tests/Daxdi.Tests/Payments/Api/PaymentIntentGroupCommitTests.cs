using System.Net.Http.Json;
using System.Text.Json;
using Daxdi.Application.Common;
using Daxdi.Application.Common.Idempotency;
using Daxdi.Application.Features.Payments;
using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Payments.Api;

/// <summary>
/// Intents are stored by a group commit: the ones priced together get their addresses in one commit. One intent that
/// breaks a rule, or whose key another node already committed, must fail alone while its batch-mates are stored.
/// </summary>
public sealed class PaymentIntentGroupCommitTests : IAsyncLifetime
{
    private readonly ApiFactory _api = new(TestStore.Sqlite(), ("Seed:DemoContent", "true"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task A_stale_rate_or_a_key_already_committed_fails_alone_and_the_intents_priced_with_it_are_stored_with_distinct_addresses()
    {
        var before = await NextIndexAsync();
        await using var scope = _api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DaxdiDbContext>();
        var siteId = await db.Sites.Where(s => s.Key == "daxdi").Select(s => s.Id).SingleAsync(Ct);
        var offers = await db.SiteOffers.AsNoTracking().SingleAsync(o => o.SiteId == siteId, Ct);
        var allocator = _api.Services.GetRequiredService<GroupCommit<PricedPaymentIntent, CreatedPaymentIntentDto>>();
        var taken = Priced(offers, siteId, DateTime.UtcNow, "taken");
        await allocator.SubmitAsync(taken, Ct);

        var good = Enumerable.Range(0, 30).Select(i => allocator.SubmitAsync(Priced(offers, siteId, DateTime.UtcNow, $"a{i}"), Ct)).ToList();
        var stale = allocator.SubmitAsync(Priced(offers, siteId, DateTime.UtcNow.AddHours(-2), "stale"), Ct);
        var again = allocator.SubmitAsync(Priced(offers, siteId, DateTime.UtcNow, "taken"), Ct);
        good.AddRange(Enumerable.Range(0, 30).Select(i => allocator.SubmitAsync(Priced(offers, siteId, DateTime.UtcNow, $"b{i}"), Ct)));

        var staleError = await Assert.ThrowsAsync<DomainException>(() => stale);
        Assert.Equal("payment_intent.rate_stale", staleError.Code);
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => again);
        var stored = await Task.WhenAll(good);
        Assert.Equal(60, stored.Select(s => s.Address).Distinct().Count());
        Assert.Equal(before + 61, await NextIndexAsync());
        Assert.Equal(61, await db.PaymentIntents.CountAsync(i => i.SiteId == siteId, Ct));
        Assert.Equal(61, await db.IdempotencyRecords.CountAsync(Ct));
    }

    private static PricedPaymentIntent Priced(SiteOffers offers, Guid siteId, DateTime rateAt, string key)
    {
        var secret = PaymentClientSecret.Generate();
        return new PricedPaymentIntent("daxdi", offers.QuoteDonation(500), new ExchangeRate("EUR", 40_500m, "test", rateAt), null, null,
            secret, PaymentClientSecret.Hash(secret), new IdempotencyRequest($"payment-intents:{siteId}", key, "fingerprint"));
    }

    private async Task<int> NextIndexAsync() =>
        (await _api.Admin().GetFromJsonAsync<JsonElement>("/api/v1/admin/sites/daxdi/wallet", Ct)).GetProperty("nextIndex").GetInt32();
}
