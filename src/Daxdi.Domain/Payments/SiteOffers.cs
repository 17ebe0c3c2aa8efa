using System.Text.RegularExpressions;
using Daxdi.Domain.Common;

namespace Daxdi.Domain.Payments;

/// <summary>A membership a site sells: <see cref="Price"/> in minor units of the offers' currency, for <see cref="DurationDays"/>.</summary>
public sealed record MembershipPlan(string Key, string Name, long Price, int DurationDays);

/// <summary>The donation amounts a site accepts, inclusive, in minor units of the offers' currency.</summary>
public sealed record DonationBounds(long Min, long Max);

/// <summary>What finance sets for a site's offers (<c>PUT /admin/sites/{site}/offers</c>).</summary>
/// <param name="ArticleUnlockPrice">Null when the site does not sell single articles.</param>
/// <param name="Donation">Null when the site takes no donations.</param>
public sealed record OfferSettings(string Currency, IReadOnlyList<MembershipPlan> MembershipPlans, long? ArticleUnlockPrice,
    DonationBounds? Donation);

/// <summary>
/// What a site sells for bitcoin and at what fiat price. Every intent is priced from here, through a
/// <see cref="PaymentQuote"/> only this class makes: a client never sends a satoshi amount, a rate or an address.
/// </summary>
/// <remarks>
/// An aggregate of its own (one per site) rather than part of <c>Site</c>: <c>PUT …/offers</c> replaces it whole under
/// its own ETag, and pricing an intent reads it without loading or locking the site.
/// </remarks>
public sealed partial class SiteOffers : Entity
{

    private SiteOffers()
    {
    }

    public SiteOffers(Guid siteId, OfferSettings settings, DateTime now)
        : base(now)
    {
        SiteId = siteId;
        Apply(settings);
    }

    public Guid SiteId { get; private set; }

    /// <summary>ISO 4217 code every price here is in.</summary>
    public string Currency { get; private set; } = null!;

    public IReadOnlyList<MembershipPlan> MembershipPlans { get; private set; } = [];

    public long? ArticleUnlockPrice { get; private set; }

    public long? DonationMin { get; private set; }

    public long? DonationMax { get; private set; }

    public DonationBounds? Donation => DonationMin is { } min && DonationMax is { } max ? new DonationBounds(min, max) : null;

    public OfferSettings Settings => new(Currency, [.. MembershipPlans], ArticleUnlockPrice, Donation);

    /// <summary>Replaces every offer. Offers equal to the current ones change nothing (same version).</summary>
    public bool Replace(OfferSettings settings, DateTime now)
    {
        var current = Settings;
        if (settings.Currency == current.Currency && settings.MembershipPlans.SequenceEqual(current.MembershipPlans)
            && settings.ArticleUnlockPrice == current.ArticleUnlockPrice && settings.Donation == current.Donation)
        {
            return false;
        }

        Apply(settings);
        Touch(now);
        return true;
    }

    /// <summary>The price of a membership plan, with its duration fixed for the entitlement.</summary>
    public PaymentQuote QuoteMembership(string planKey)
    {
        var plan = MembershipPlans.FirstOrDefault(p => p.Key == planKey)
            ?? throw DomainException.Invalid("payment_intent.unknown_plan", $"This site offers no membership plan '{planKey}'.");
        return new PaymentQuote(SiteId, PaymentPurpose.Membership, plan.Key, plan.DurationDays, null, plan.Price, Currency);
    }

    /// <summary>The price of unlocking one article. Whether the article exists on this site is for the caller to check.</summary>
    public PaymentQuote QuoteArticleUnlock(Guid articleId)
    {
        var price = ArticleUnlockPrice ?? throw NotOffered("article unlocks");
        return new PaymentQuote(SiteId, PaymentPurpose.ArticleUnlock, null, null, articleId, price, Currency);
    }

    /// <summary>A donation of the visitor's chosen amount, within the site's bounds.</summary>
    public PaymentQuote QuoteDonation(long amountMinor)
    {
        var bounds = Donation ?? throw NotOffered("donations");
        if (amountMinor < bounds.Min || amountMinor > bounds.Max)
        {
            throw DomainException.Invalid("payment_intent.donation_out_of_bounds",
                $"A donation must be between {bounds.Min} and {bounds.Max} (minor units of {Currency}).");
        }

        return new PaymentQuote(SiteId, PaymentPurpose.Donation, null, null, null, amountMinor, Currency);
    }

    private static DomainException NotOffered(string what) =>
        DomainException.InvalidState("payment_intent.purpose_not_offered", $"This site does not offer {what}.");

    private void Apply(OfferSettings settings)
    {
        Validate(settings);
        Currency = settings.Currency;
        MembershipPlans = [.. settings.MembershipPlans];
        ArticleUnlockPrice = settings.ArticleUnlockPrice;
        DonationMin = settings.Donation?.Min;
        DonationMax = settings.Donation?.Max;
    }

    private static void Validate(OfferSettings s)
    {
        if (!FiatCurrencies.IsSupported(s.Currency))
        {
            throw DomainException.Invalid("currency.unsupported",
                $"'{s.Currency}' is not a supported currency. Supported: {string.Join(", ", FiatCurrencies.Codes)}.");
        }

        if (s.MembershipPlans.Count > PaymentRules.MaxMembershipPlans)
        {
            throw Invalid($"At most {PaymentRules.MaxMembershipPlans} membership plans.");
        }

        foreach (var plan in s.MembershipPlans)
        {
            if (plan.Key is null || plan.Key.Length > PaymentRules.PlanKeyMaxLength || !PlanKey().IsMatch(plan.Key))
            {
                throw Invalid($"A plan key is lowercase kebab of at most {PaymentRules.PlanKeyMaxLength} characters.");
            }

            if (string.IsNullOrWhiteSpace(plan.Name) || plan.Name.Length > PaymentRules.PlanNameMaxLength)
            {
                throw Invalid($"Plan '{plan.Key}' needs a name of at most {PaymentRules.PlanNameMaxLength} characters.");
            }

            if (!IsPrice(plan.Price) || plan.DurationDays is < 1 or > PaymentRules.MaxPlanDurationDays)
            {
                throw Invalid($"Plan '{plan.Key}' needs a price of 1 to {PaymentRules.MaxPriceMinor} and a duration of 1 to "
                    + $"{PaymentRules.MaxPlanDurationDays} days.");
            }
        }

        if (s.MembershipPlans.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count() != s.MembershipPlans.Count)
        {
            throw DomainException.Invalid("offers.duplicate_plan", "Each membership plan needs its own key.");
        }

        if (s.ArticleUnlockPrice is { } unlock && !IsPrice(unlock))
        {
            throw Invalid($"The article unlock price must be 1 to {PaymentRules.MaxPriceMinor}.");
        }

        if (s.Donation is { } d && (!IsPrice(d.Min) || !IsPrice(d.Max) || d.Min > d.Max))
        {
            throw Invalid($"Donation bounds must be 1 to {PaymentRules.MaxPriceMinor} with the minimum at most the maximum.");
        }
    }

    private static bool IsPrice(long minor) => minor is >= 1 and <= PaymentRules.MaxPriceMinor;

    private static DomainException Invalid(string message) => DomainException.Invalid("offers.invalid", message);

    [GeneratedRegex(PaymentRules.PlanKeyPattern)]
    private static partial Regex PlanKey();
}

/// <summary>What a visitor wants to pay for.</summary>
public enum PaymentPurpose
{
    Membership,
    ArticleUnlock,
    Donation,
}

/// <summary>
/// A price taken from a site's offers for one purchase. Only <see cref="SiteOffers"/> makes quotes, so an intent's
/// fiat amount always comes from the offers.
/// </summary>
public sealed class PaymentQuote
{
    internal PaymentQuote(Guid siteId, PaymentPurpose purpose, string? planKey, int? planDurationDays, Guid? articleId,
        long amountMinor, string currency)
    {
        SiteId = siteId;
        Purpose = purpose;
        PlanKey = planKey;
        PlanDurationDays = planDurationDays;
        ArticleId = articleId;
        AmountMinor = amountMinor;
        Currency = currency;
    }

    public Guid SiteId { get; }

    public PaymentPurpose Purpose { get; }

    /// <summary>For a membership: the plan's key.</summary>
    public string? PlanKey { get; }

    /// <summary>For a membership: the plan's duration when quoted; the entitlement lasts this long even if the plan changes.</summary>
    public int? PlanDurationDays { get; }

    /// <summary>For an article unlock: the article.</summary>
    public Guid? ArticleId { get; }

    /// <summary>The price in minor units of <see cref="Currency"/>.</summary>
    public long AmountMinor { get; }

    public string Currency { get; }
}
