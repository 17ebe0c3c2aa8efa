using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>The offers finance sends (<c>PUT /admin/sites/{site}/offers</c>), replacing the previous ones whole.</summary>
public sealed record OffersFields
{
    /// <summary>ISO 4217 code of every price (EUR, USD, GBP, CHF, JPY …).</summary>
    /// <example>EUR</example>
    public required string Currency { get; init; }

    /// <summary>Membership plans (at most 20); empty when memberships are not sold.</summary>
    public IReadOnlyList<MembershipPlanFields>? MembershipPlans { get; init; }

    /// <summary>The price of unlocking one article, in minor units; null when single articles are not sold.</summary>
    /// <example>199</example>
    public long? ArticleUnlockPrice { get; init; }

    /// <summary>Donation bounds; null when the site takes no donations.</summary>
    public DonationBoundsFields? Donation { get; init; }

    /// <summary>The domain's settings (the currency upper-cased); <see cref="SiteOffers"/> checks them.</summary>
    public OfferSettings ToSettings() => new(Currency.ToUpperInvariant(),
        [.. (MembershipPlans ?? []).Select(p => new MembershipPlan(p.Key, p.Name, p.Price, p.DurationDays))],
        ArticleUnlockPrice, Donation is { } d ? new DonationBounds(d.Min, d.Max) : null);
}

/// <summary>A membership plan as finance sets it.</summary>
/// <param name="Key">Lowercase letters, digits and hyphens, unique among the plans.</param>
/// <param name="Name">What the reader sees.</param>
/// <param name="Price">Minor units of the offers' currency, 1–100,000,000.</param>
/// <param name="DurationDays">1–3660.</param>
public sealed record MembershipPlanFields(string Key, string Name, long Price, int DurationDays);

/// <summary>Donation bounds, inclusive, in minor units.</summary>
public sealed record DonationBoundsFields(long Min, long Max);

/// <summary>Replace what a site sells; created on the first call.</summary>
public sealed record ReplaceOffers(string Site, int? ExpectedVersion, OffersFields Body) : ICommand<OffersDto>;

public sealed class ReplaceOffersValidator : AbstractValidator<ReplaceOffers>
{
    public ReplaceOffersValidator()
    {
        RuleFor(x => x.Body).NotNull();
        RuleFor(x => x.Body.Currency).NotEmpty().Length(3).When(x => x.Body is not null);
        RuleFor(x => x.Body.MembershipPlans!.Count).LessThanOrEqualTo(PaymentRules.MaxMembershipPlans)
            .When(x => x.Body?.MembershipPlans is not null).OverridePropertyName("membershipPlans");
        RuleForEach(x => x.Body.MembershipPlans).ChildRules(plan =>
        {
            plan.RuleFor(p => p.Key).NotEmpty().MaximumLength(PaymentRules.PlanKeyMaxLength);
            plan.RuleFor(p => p.Name).NotEmpty().MaximumLength(PaymentRules.PlanNameMaxLength);
            plan.RuleFor(p => p.Price).InclusiveBetween(1, PaymentRules.MaxPriceMinor);
            plan.RuleFor(p => p.DurationDays).InclusiveBetween(1, PaymentRules.MaxPlanDurationDays);
        }).When(x => x.Body?.MembershipPlans is not null).OverridePropertyName("membershipPlans");
        RuleFor(x => x.Body.ArticleUnlockPrice).InclusiveBetween(1, PaymentRules.MaxPriceMinor).When(x => x.Body is not null);
        RuleFor(x => x.Body.Donation!.Min).InclusiveBetween(1, PaymentRules.MaxPriceMinor).When(x => x.Body?.Donation is not null)
            .OverridePropertyName("donation.min");
        RuleFor(x => x.Body.Donation!.Max).InclusiveBetween(1, PaymentRules.MaxPriceMinor)
            .GreaterThanOrEqualTo(x => x.Body.Donation!.Min).When(x => x.Body?.Donation is not null).OverridePropertyName("donation.max");
    }
}

public sealed class ReplaceOffersHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<ReplaceOffers, OffersDto>
{
    public async ValueTask<OffersDto> Handle(ReplaceOffers command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var settings = command.Body.ToSettings();
        var now = clock.UtcNow();
        var offers = await db.SiteOffers.FirstOrDefaultAsync(o => o.SiteId == site.Id, cancellationToken);
        if (offers is null)
        {
            offers = new SiteOffers(site.Id, settings, now);
            db.SiteOffers.Add(offers);
        }
        else
        {
            offers.EnsureVersion(command.ExpectedVersion);
            offers.Replace(settings, now);
        }

        return OffersDto.From(offers);
    }
}
