using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;
using static Daxdi.Tests.Payments.Domain.PaymentFixture;

namespace Daxdi.Tests.Payments.Domain;

/// <summary>Prices come from the site's offers only.</summary>
public sealed class SiteOffersTests
{
    [Fact]
    public void A_membership_quote_carries_the_plan_price_and_duration()
    {
        var quote = Offers().QuoteMembership("yearly");

        Assert.Equal((SiteId, PaymentPurpose.Membership, "yearly", 365, 5000L, "EUR"),
            (quote.SiteId, quote.Purpose, quote.PlanKey, quote.PlanDurationDays, quote.AmountMinor, quote.Currency));
        Assert.Null(quote.ArticleId);
    }

    [Fact]
    public void Article_unlocks_and_donations_are_priced_from_the_offers()
    {
        var articleId = Guid.CreateVersion7();
        var unlock = Offers().QuoteArticleUnlock(articleId);
        Assert.Equal((PaymentPurpose.ArticleUnlock, articleId, 100L), (unlock.Purpose, unlock.ArticleId, unlock.AmountMinor));

        var donation = Offers().QuoteDonation(2_500);
        Assert.Equal((PaymentPurpose.Donation, 2_500L, (int?)null), (donation.Purpose, donation.AmountMinor, donation.PlanDurationDays));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(100_001)]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_donation_outside_the_bounds_is_refused(long amount)
    {
        var error = Assert.Throws<DomainException>(() => Offers().QuoteDonation(amount));
        Assert.Equal("payment_intent.donation_out_of_bounds", error.Code);
    }

    [Fact]
    public void What_the_site_does_not_sell_cannot_be_quoted()
    {
        var offers = new SiteOffers(SiteId, new OfferSettings("EUR", [], null, null), Now);

        Assert.Equal("payment_intent.unknown_plan", Assert.Throws<DomainException>(() => offers.QuoteMembership("monthly")).Code);
        var unlock = Assert.Throws<DomainException>(() => offers.QuoteArticleUnlock(Guid.CreateVersion7()));
        Assert.Equal(("payment_intent.purpose_not_offered", ErrorKind.InvalidState), (unlock.Code, unlock.Kind));
        Assert.Equal("payment_intent.purpose_not_offered", Assert.Throws<DomainException>(() => offers.QuoteDonation(500)).Code);
    }

    [Fact]
    public void Offers_are_refused_when_they_break_a_rule()
    {
        static string Code(OfferSettings settings) =>
            Assert.Throws<DomainException>(() => new SiteOffers(SiteId, settings, Now)).Code;

        Assert.Equal("currency.unsupported", Code(new OfferSettings("XBT", [], 100, null)));
        Assert.Equal("offers.duplicate_plan", Code(new OfferSettings("EUR",
            [new MembershipPlan("monthly", "A", 500, 30), new MembershipPlan("monthly", "B", 600, 30)], null, null)));
        Assert.Equal("offers.invalid", Code(new OfferSettings("EUR", [new MembershipPlan("Monthly Plan", "A", 500, 30)], null, null)));
        Assert.Equal("offers.invalid", Code(new OfferSettings("EUR", [new MembershipPlan("monthly", "A", 0, 30)], null, null)));
        Assert.Equal("offers.invalid", Code(new OfferSettings("EUR", [new MembershipPlan("monthly", "A", 500, 0)], null, null)));
        Assert.Equal("offers.invalid", Code(new OfferSettings("EUR", [], PaymentRules.MaxPriceMinor + 1, null)));
        Assert.Equal("offers.invalid", Code(new OfferSettings("EUR", [], null, new DonationBounds(500, 100))));
    }

    [Fact]
    public void Replacing_with_the_same_offers_changes_nothing()
    {
        var offers = Offers();
        var version = offers.Version;

        Assert.False(offers.Replace(offers.Settings with { MembershipPlans = [.. offers.MembershipPlans] }, Now.AddDays(1)));
        Assert.Equal(version, offers.Version);

        Assert.True(offers.Replace(offers.Settings with { ArticleUnlockPrice = 150 }, Now.AddDays(1)));
        Assert.Equal((version + 1, 150L), (offers.Version, offers.ArticleUnlockPrice));
        Assert.Equal(2, offers.MembershipPlans.Count);
    }

    [Fact]
    public void A_yen_price_converts_with_exponent_zero()
    {
        var offers = new SiteOffers(SiteId, new OfferSettings("JPY", [new MembershipPlan("monthly", "Monthly", 800, 30)], null, null), Now);

        var intent = PaymentIntent.Create(offers.QuoteMembership("monthly"), Wallet(), Derive, Rate(15_000_000m, currency: "JPY"),
            MaxRateAge, null, null, PaymentClientSecret.Hash(Secret), Now);

        Assert.Equal(5_334, intent.AmountSats); // 800 / 15,000,000 BTC = 5,333.33 sats
    }
}
