using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;
using static Daxdi.Tests.Payments.Domain.PaymentFixture;

namespace Daxdi.Tests.Payments.Domain;

/// <summary>What an intent locks when it is created, its entitlement and its events.</summary>
public sealed class PaymentIntentCreationTests
{
    [Fact]
    public void Creation_locks_the_rate_the_amount_the_address_and_the_expiry()
    {
        var wallet = Wallet(tolerance: 1m);
        var rate = new ExchangeRate("EUR", 40_500.00m, "kraken", Now.AddMinutes(-2));

        var intent = PaymentIntent.Create(Offers().QuoteMembership("monthly"), wallet, Derive, rate, MaxRateAge, "reader-42",
            new Dictionary<string, string> { ["utm"] = "mail", ["campaign"] = "winter" }, PaymentClientSecret.Hash(Secret), Now);

        Assert.Equal((500L, "EUR", 40_500.00m, "kraken", Now.AddMinutes(-2)),
            (intent.Amount, intent.Currency, intent.Rate, intent.RateSource, intent.RateAt));
        Assert.Equal(12_346, intent.AmountSats); // 5.00 / 40,500 BTC = 12,345.68 sats, rounded up
        Assert.Equal("0.00012346", intent.AmountBtc);
        Assert.Equal(12_346 - 123, intent.MinimumAcceptedSats);
        Assert.Equal(("bcrt1qtest1x0", 0, 1), (intent.Address, intent.DerivationIndex, intent.KeyGeneration));
        Assert.Equal(1, wallet.NextIndex);
        Assert.Equal(Now.AddMinutes(15), intent.ExpiresAt);
        Assert.Equal(Now.AddMinutes(15).AddHours(24), intent.WatchUntil);
        Assert.Equal((PaymentPurpose.Membership, "monthly", 30), (intent.Purpose, intent.PlanKey, intent.PlanDurationDays));
        Assert.Equal(["campaign", "utm"], intent.Metadata.Keys);
        Assert.Equal("reader-42", intent.CustomerReference);
    }

    [Fact]
    public void Only_the_hash_of_the_client_secret_is_kept()
    {
        var secret = PaymentClientSecret.Generate();
        var intent = PaymentIntent.Create(Offers().QuoteDonation(500), Wallet(), Derive, Rate(), MaxRateAge, null, null,
            PaymentClientSecret.Hash(secret), Now);

        Assert.StartsWith(PaymentClientSecret.Prefix, secret, StringComparison.Ordinal);
        Assert.Equal(32, intent.ClientSecretHash.Length);
        Assert.True(intent.SecretMatches(secret));
        Assert.False(intent.SecretMatches(secret + "x"));
        Assert.False(intent.SecretMatches(null));
        Assert.DoesNotContain(typeof(PaymentIntent).GetProperties(), p => p.Name == "ClientSecret");
        Assert.NotEqual(PaymentClientSecret.Generate(), PaymentClientSecret.Generate());
    }

    [Fact]
    public void A_stale_rate_is_refused_and_consumes_no_index()
    {
        var wallet = Wallet();
        var stale = Rate(at: Now - MaxRateAge - TimeSpan.FromSeconds(1));

        var error = Assert.Throws<DomainException>(() => PaymentIntent.Create(Offers().QuoteMembership("monthly"), wallet, Derive,
            stale, MaxRateAge, null, null, PaymentClientSecret.Hash(Secret), Now));

        Assert.Equal(("payment_intent.rate_stale", ErrorKind.InvalidState), (error.Code, error.Kind));
        Assert.Equal(0, wallet.NextIndex);
        Assert.Equal(MonthlySats, PaymentIntent.Create(Offers().QuoteMembership("monthly"), wallet, Derive,
            Rate(at: Now - MaxRateAge), MaxRateAge, null, null, PaymentClientSecret.Hash(Secret), Now).AmountSats);
    }

    [Fact]
    public void An_amount_below_the_dust_limit_is_refused()
    {
        // 1.00 EUR at 10,000,000 EUR/BTC is 10 sats: no wallet can send that to one output.
        var error = Assert.Throws<DomainException>(() => PaymentIntent.Create(Offers().QuoteArticleUnlock(Guid.CreateVersion7()),
            Wallet(), Derive, Rate(10_000_000m), MaxRateAge, null, null, PaymentClientSecret.Hash(Secret), Now));

        Assert.Equal("payment_intent.amount_below_dust", error.Code);
    }

    [Fact]
    public void A_rate_in_another_currency_or_offers_of_another_site_are_refused()
    {
        var quote = Offers().QuoteMembership("monthly");
        var hash = PaymentClientSecret.Hash(Secret);

        Assert.Throws<ArgumentException>(() => PaymentIntent.Create(quote, Wallet(), Derive, Rate(currency: "USD"), MaxRateAge,
            null, null, hash, Now));
        var otherSite = new BitcoinWallet(Guid.CreateVersion7(), Settings(), Now);
        Assert.Throws<ArgumentException>(() => PaymentIntent.Create(quote, otherSite, Derive, Rate(), MaxRateAge, null, null, hash, Now));
    }

    [Fact]
    public void Metadata_and_customer_reference_limits_are_enforced()
    {
        static string Code(string? reference, Dictionary<string, string>? metadata) =>
            Assert.Throws<DomainException>(() => PaymentIntent.Create(Offers().QuoteMembership("monthly"), Wallet(), Derive, Rate(),
                MaxRateAge, reference, metadata, PaymentClientSecret.Hash(Secret), Now)).Code;

        var tooMany = Enumerable.Range(0, PaymentRules.MaxMetadataKeys + 1).ToDictionary(i => $"k{i}", _ => "v");
        Assert.Equal("payment_intent.invalid_metadata", Code(null, tooMany));
        Assert.Equal("payment_intent.invalid_metadata", Code(null, new() { [new string('k', 41)] = "v" }));
        Assert.Equal("payment_intent.invalid_metadata", Code(null, new() { ["k"] = new string('v', 501) }));
        Assert.Equal("payment_intent.invalid_metadata", Code(null, new() { [" "] = "v" }));
        Assert.Equal("payment_intent.invalid_customer_reference", Code(" ", null));
        Assert.Equal("payment_intent.invalid_customer_reference", Code(new string('r', 201), null));

        var atLimits = Enumerable.Range(0, PaymentRules.MaxMetadataKeys)
            .ToDictionary(i => $"{i:D2}{new string('k', 38)}", _ => new string('v', 500));
        var intent = PaymentIntent.Create(Offers().QuoteMembership("monthly"), Wallet(), Derive, Rate(), MaxRateAge,
            new string('r', 200), atLimits, PaymentClientSecret.Hash(Secret), Now);
        Assert.Equal(50, intent.Metadata.Count);
    }

    [Fact]
    public void Success_grants_one_entitlement_and_never_a_second()
    {
        var intent = InStatus(PaymentStatus.Succeeded);
        var entitlement = Assert.IsType<Entitlement>(intent.NewEntitlement);

        intent.See(Minutes(30), Out(1, MonthlySats, Tip));
        intent.Observe([Out(1, MonthlySats, Tip)], Tip + 10, 1, Minutes(90));
        Assert.Throws<DomainException>(() => intent.MarkSettled(Finance, "again", Minutes(100)));

        Assert.Same(entitlement, intent.NewEntitlement);
        Assert.Equal(entitlement.Id, intent.EntitlementId);
        Assert.Equal((SiteId, intent.Id, PaymentPurpose.Membership, "monthly", "reader-42"),
            (entitlement.SiteId, entitlement.PaymentIntentId, entitlement.Purpose, entitlement.PlanKey, entitlement.CustomerReference));
        Assert.Equal((Minutes(1), Minutes(1).AddDays(30)), (entitlement.ValidFrom, entitlement.ValidUntil));
        Assert.True(entitlement.IsValidAt(Minutes(1).AddDays(29)));
        Assert.False(entitlement.IsValidAt(Minutes(1).AddDays(30)));
    }

    [Fact]
    public void Article_unlocks_and_donations_grant_entitlements_without_an_end()
    {
        var articleId = Guid.CreateVersion7();
        var unlock = Intent(quote: Offers().QuoteArticleUnlock(articleId));
        unlock.See(Minutes(1), Out(1, unlock.AmountSats, Tip));
        var unlocked = Assert.IsType<Entitlement>(unlock.NewEntitlement);
        Assert.Equal((PaymentPurpose.ArticleUnlock, articleId, (DateTime?)null), (unlocked.Purpose, unlocked.ArticleId, unlocked.ValidUntil));
        Assert.True(unlocked.IsValidAt(Minutes(1).AddYears(10)));

        var donation = Intent(quote: Offers().QuoteDonation(1_000));
        donation.See(Minutes(1), Out(1, donation.AmountSats, Tip));
        var donated = Assert.IsType<Entitlement>(donation.NewEntitlement);
        Assert.Equal((PaymentPurpose.Donation, (DateTime?)null), (donated.Purpose, donated.ValidUntil));
    }

    [Fact]
    public void Events_carry_ids_status_exception_and_amounts_but_no_secret()
    {
        var intent = Intent();
        intent.See(Minutes(1), Out(1, MonthlySats + 500, Tip));

        var succeeded = intent.Events()[^1];

        Assert.Equal((PaymentIntentEventKind.Succeeded, SiteId, intent.Id), (succeeded.Kind, succeeded.SiteId, succeeded.PaymentIntentId));
        Assert.Equal((PaymentStatus.Processing, PaymentStatus.Succeeded, PaymentExceptionStatus.Overpaid),
            (succeeded.PreviousStatus, succeeded.Status, succeeded.Exception));
        Assert.Equal((500L, "EUR", MonthlySats, MonthlySats + 500), (succeeded.Amount, succeeded.Currency, succeeded.AmountSats, succeeded.ReceivedSats));
        Assert.Equal((intent.EntitlementId, intent.Version, Minutes(1)), (succeeded.EntitlementId, succeeded.Version, succeeded.OccurredAt));
        Assert.DoesNotContain(typeof(PaymentIntentChanged).GetProperties(),
            p => p.Name.Contains("Secret", StringComparison.OrdinalIgnoreCase) || p.PropertyType == typeof(byte[]));
        Assert.DoesNotContain(typeof(PaymentIntentChanged).GetProperties(), p => p.Name is "Actor" or "Reason");
    }

    [Fact]
    public void The_history_records_every_change_with_its_actor_in_order()
    {
        var intent = Intent();
        intent.See(Minutes(1), Out(1, 4_000));
        intent.See(Minutes(20), Out(1, 4_000), Out(2, 6_000));
        intent.MarkSettled(Finance, "late top-up accepted", Minutes(60));

        Assert.Equal(
            [
                (null, PaymentStatus.RequiresPayment, PaymentExceptionStatus.None, PaymentIntent.ClientActor),
                (PaymentStatus.RequiresPayment, PaymentStatus.RequiresPayment, PaymentExceptionStatus.Underpaid, PaymentIntent.MonitorActor),
                (PaymentStatus.RequiresPayment, PaymentStatus.Expired, PaymentExceptionStatus.Underpaid, PaymentIntent.MonitorActor),
                (PaymentStatus.Expired, PaymentStatus.Expired, PaymentExceptionStatus.PaidLate, PaymentIntent.MonitorActor),
                ((PaymentStatus?)PaymentStatus.Expired, PaymentStatus.Succeeded, PaymentExceptionStatus.Marked, Finance),
            ],
            intent.History.Select(h => (h.From, h.To, h.Exception, h.Actor)));
        Assert.Equal([Now, Minutes(1), Minutes(20), Minutes(20), Minutes(60)], intent.History.Select(h => h.At));
        AssertHistoryConsistent(intent);
    }
}
