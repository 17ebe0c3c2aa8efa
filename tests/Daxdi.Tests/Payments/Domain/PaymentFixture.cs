using System.Globalization;
using Daxdi.Domain.Payments;

namespace Daxdi.Tests.Payments.Domain;

/// <summary>
/// A site that sells a 5.00 EUR monthly plan, 1.00 EUR article unlocks and 1.00–1,000.00 EUR donations, with a regtest
/// wallet, at 50,000 EUR/BTC: the monthly plan is exactly 10,000 sats.
/// </summary>
internal static class PaymentFixture
{
    public const long MonthlySats = 10_000;
    public const int Tip = 800_000;
    public const string Finance = "finance:ada";

    public static readonly DateTime Now = new(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc);
    public static readonly Guid SiteId = new("0195f3a0-0000-7000-8000-000000000001");
    public static readonly string Secret = PaymentClientSecret.FromBytes(new byte[PaymentClientSecret.RandomBytes]);
    public static readonly TimeSpan MaxRateAge = TimeSpan.FromMinutes(PaymentRules.DefaultMaxRateAgeMinutes);

    public static WalletSettings Settings(decimal tolerance = 0m, string key = "tpubTestKeyOne") =>
        new(BitcoinNetwork.Regtest, key) { UnderpaymentTolerancePercent = tolerance };

    public static BitcoinWallet Wallet(decimal tolerance = 0m) => new(SiteId, Settings(tolerance), Now);

    public static SiteOffers Offers() => new(SiteId, new OfferSettings("EUR",
        [new MembershipPlan("monthly", "Monthly", 500, 30), new MembershipPlan("yearly", "Yearly", 5000, 365)],
        ArticleUnlockPrice: 100, new DonationBounds(100, 100_000)), Now);

    public static ExchangeRate Rate(decimal fiatPerBtc = 50_000m, DateTime? at = null, string currency = "EUR") =>
        new(currency, fiatPerBtc, "test-table", at ?? Now);

    public static string Derive(AddressSlot slot) =>
        string.Create(CultureInfo.InvariantCulture, $"bcrt1qtest{slot.KeyGeneration}x{slot.Index}");

    /// <summary>A monthly membership intent (10,000 sats), its creation events taken.</summary>
    public static PaymentIntent Intent(decimal tolerance = 0m, BitcoinWallet? wallet = null, PaymentQuote? quote = null)
    {
        var intent = PaymentIntent.Create(quote ?? Offers().QuoteMembership("monthly"), wallet ?? Wallet(tolerance), Derive,
            Rate(), MaxRateAge, "reader-42", new Dictionary<string, string> { ["campaign"] = "winter" },
            PaymentClientSecret.Hash(Secret), Now);
        intent.TakeDomainEvents();
        return intent;
    }

    public static string Tx(int n) => n.ToString("x64", CultureInfo.InvariantCulture);

    /// <summary>Output 0 of transaction <paramref name="tx"/>; in the mempool unless a height is given.</summary>
    public static ObservedOutput Out(int tx, long sats, int? height = null, int vout = 0) => new(Tx(tx), vout, sats, height);

    public static DateTime Minutes(double minutes) => Now.AddMinutes(minutes);

    /// <summary>The monitor's view at <see cref="Tip"/> with one confirmation required.</summary>
    public static bool See(this PaymentIntent intent, DateTime at, params ObservedOutput[] outputs) =>
        intent.Observe(outputs, Tip, 1, at);

    public static IReadOnlyList<PaymentIntentChanged> Events(this PaymentIntent intent) =>
        [.. intent.TakeDomainEvents().Cast<PaymentIntentChanged>()];

    public static PaymentIntent InStatus(PaymentStatus status)
    {
        var intent = Intent();
        switch (status)
        {
            case PaymentStatus.RequiresPayment:
                break;
            case PaymentStatus.Processing:
                intent.See(Minutes(1), Out(1, MonthlySats));
                break;
            case PaymentStatus.Succeeded:
                intent.See(Minutes(1), Out(1, MonthlySats, Tip));
                break;
            case PaymentStatus.Expired:
                intent.ExpireIfDue(Minutes(16));
                break;
            case PaymentStatus.Canceled:
                intent.Cancel(Finance, null, Minutes(1));
                break;
            case PaymentStatus.Failed:
                intent.MarkFailed(Finance, "test", Minutes(1));
                break;
        }

        Assert.Equal(status, intent.Status);
        intent.TakeDomainEvents();
        return intent;
    }

    /// <summary>The history is a chain of allowed steps that ends where the intent stands.</summary>
    public static void AssertHistoryConsistent(PaymentIntent intent)
    {
        var history = intent.History;
        Assert.Null(history[0].From);
        Assert.Equal(PaymentIntent.ClientActor, history[0].Actor);
        for (var i = 0; i < history.Count; i++)
        {
            Assert.Equal(i + 1, history[i].Sequence);
            if (i > 0)
            {
                Assert.Equal(history[i - 1].To, history[i].From);
                var from = history[i].From!.Value;
                Assert.True(from == history[i].To || PaymentTransitions.IsAllowed(from, history[i].To),
                    $"{from} -> {history[i].To} is not an allowed transition");
            }
        }

        Assert.Equal(intent.Status, history[^1].To);
        Assert.Equal(intent.ExceptionStatus, history[^1].Exception);
    }
}
