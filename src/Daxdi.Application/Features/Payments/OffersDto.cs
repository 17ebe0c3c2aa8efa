using Daxdi.Application.Common;
using Daxdi.Domain.Payments;

namespace Daxdi.Application.Features.Payments;

/// <summary>What a site sells for bitcoin, priced in fiat minor units of one ISO 4217 currency.</summary>
public sealed record OffersDto : IVersioned
{
    /// <summary>ISO 4217 code every price is in.</summary>
    /// <example>EUR</example>
    public required string Currency { get; init; }

    /// <summary>Membership plans, in the order finance listed them.</summary>
    public required IReadOnlyList<MembershipPlanDto> MembershipPlans { get; init; }

    /// <summary>The price of unlocking one article; null when single articles are not sold.</summary>
    /// <example>199</example>
    public required long? ArticleUnlockPrice { get; init; }

    /// <summary>The donation amounts accepted; null when the site takes no donations.</summary>
    public required DonationBoundsDto? Donation { get; init; }

    public required int Version { get; init; }

    public static OffersDto From(SiteOffers o) => new()
    {
        Currency = o.Currency, ArticleUnlockPrice = o.ArticleUnlockPrice, Version = o.Version,
        MembershipPlans = [.. o.MembershipPlans.Select(p => new MembershipPlanDto(p.Key, p.Name, p.Price, p.DurationDays))],
        Donation = o.Donation is { } d ? new DonationBoundsDto(d.Min, d.Max) : null,
    };
}

/// <summary>A membership plan.</summary>
/// <param name="Key">What an intent names (<c>planKey</c>): lowercase letters, digits and hyphens.</param>
/// <param name="Name">What the reader sees.</param>
/// <param name="Price">Minor units of the offers' currency.</param>
/// <param name="DurationDays">How long the membership lasts from payment.</param>
public sealed record MembershipPlanDto(string Key, string Name, long Price, int DurationDays);

/// <summary>Donation bounds, inclusive, in minor units.</summary>
public sealed record DonationBoundsDto(long Min, long Max);
