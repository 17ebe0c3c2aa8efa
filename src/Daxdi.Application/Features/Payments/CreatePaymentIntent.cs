using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Common.Idempotency;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>What a frontend asks to be paid for. Never an amount in satoshis, a rate or an address: the server prices it.</summary>
public sealed record CreatePaymentIntentBody
{
    /// <summary><c>membership</c> (with <c>planKey</c>), <c>articleUnlock</c> (with <c>articleId</c>) or <c>donation</c> (with <c>amount</c>).</summary>
    public required PaymentPurpose Purpose { get; init; }

    /// <summary>The membership plan, for <c>membership</c>.</summary>
    /// <example>monthly</example>
    public string? PlanKey { get; init; }

    /// <summary>A published article of the site, for <c>articleUnlock</c>.</summary>
    public Guid? ArticleId { get; init; }

    /// <summary>For <c>donation</c>: minor units of the offers' currency, within the site's bounds.</summary>
    /// <example>500</example>
    public long? Amount { get; init; }

    /// <summary>Who the entitlement is for in the frontend's terms (an account id, an email hash); at most 200 characters.</summary>
    public string? CustomerReference { get; init; }

    /// <summary>Up to 50 keys of at most 40 characters, values of at most 500; kept and returned to finance, never used for decisions.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>
/// Create a payment intent: price it from the offers and lock a rate, then hand it to the group commit that derives a
/// fresh address (<see cref="AllocatePaymentIntents"/>). Only that second step needs the site's lock.
/// </summary>
public sealed record CreatePaymentIntent(Guid SiteId, string Site, string? IdempotencyKey, CreatePaymentIntentBody Body)
    : IRequest<CreatedPaymentIntentDto>, IIdempotentCommand
{
    /// <remarks>
    /// The metadata is fingerprinted in ordinal key order: a dictionary serializes in the order the client's JSON had,
    /// so the same body with its metadata keys in another order was refused as another body (422).
    /// </remarks>
    public IdempotencyRequest Idempotency => IdempotencyRequest.Of($"payment-intents:{SiteId}", IdempotencyKey,
        Body.Metadata is null ? Body : Body with { Metadata = new SortedDictionary<string, string>(Body.Metadata.ToDictionary(), StringComparer.Ordinal) });
}

public sealed class CreatePaymentIntentValidator : AbstractValidator<CreatePaymentIntent>
{
    public CreatePaymentIntentValidator()
    {
        RuleFor(x => x.Body).NotNull();
        When(x => x.Body is not null, () =>
        {
            RuleFor(x => x.Body.Purpose).IsInEnum();
            RuleFor(x => x.Body.PlanKey).NotEmpty().MaximumLength(PaymentRules.PlanKeyMaxLength).When(x => x.Body.Purpose == PaymentPurpose.Membership);
            RuleFor(x => x.Body.ArticleId).NotEmpty().When(x => x.Body.Purpose == PaymentPurpose.ArticleUnlock);
            RuleFor(x => x.Body.Amount).NotNull().InclusiveBetween(1, PaymentRules.MaxPriceMinor).When(x => x.Body.Purpose == PaymentPurpose.Donation);
            RuleFor(x => x.Body.PlanKey).Null().WithMessage("'planKey' is for memberships only.").When(x => x.Body.Purpose != PaymentPurpose.Membership);
            RuleFor(x => x.Body.ArticleId).Null().WithMessage("'articleId' is for article unlocks only.").When(x => x.Body.Purpose != PaymentPurpose.ArticleUnlock);
            RuleFor(x => x.Body.Amount).Null().WithMessage("'amount' is for donations only: other purposes are priced by the site's offers.")
                .When(x => x.Body.Purpose != PaymentPurpose.Donation);
            RuleFor(x => x.Body.CustomerReference).MaximumLength(PaymentRules.CustomerReferenceMaxLength);
            RuleFor(x => x.Body.Metadata!.Count).LessThanOrEqualTo(PaymentRules.MaxMetadataKeys).OverridePropertyName("metadata")
                .When(x => x.Body.Metadata is not null);
            RuleForEach(x => x.Body.Metadata).ChildRules(entry =>
            {
                entry.RuleFor(e => e.Key).NotEmpty().MaximumLength(PaymentRules.MetadataKeyMaxLength);
                entry.RuleFor(e => e.Value).NotNull().MaximumLength(PaymentRules.MetadataValueMaxLength);
            }).OverridePropertyName("metadata").When(x => x.Body.Metadata is not null);
        });
    }
}

/// <remarks>
/// Prices without any lock: the offers, the quote, the article check and the exchange rate (which may be an HTTP
/// fetch on a cache miss) never hold the site's lock, which on SQLite is every write of the store.
/// </remarks>
public sealed class CreatePaymentIntentHandler(IDaxdiDbContext db, IExchangeRates rates,
    GroupCommit<PricedPaymentIntent, CreatedPaymentIntentDto> allocator) : IRequestHandler<CreatePaymentIntent, CreatedPaymentIntentDto>
{
    public async ValueTask<CreatedPaymentIntentDto> Handle(CreatePaymentIntent command, CancellationToken cancellationToken)
    {
        var body = command.Body;
        var offers = await db.SiteOffers.AsNoTracking().FirstOrDefaultAsync(o => o.SiteId == command.SiteId, cancellationToken)
            ?? throw PaymentErrors.NoOffers(command.Site);
        var quote = body.Purpose switch
        {
            PaymentPurpose.Membership => offers.QuoteMembership(body.PlanKey!),
            PaymentPurpose.ArticleUnlock => offers.QuoteArticleUnlock(await PublishedArticleAsync(command, body.ArticleId!.Value, cancellationToken)),
            _ => offers.QuoteDonation(body.Amount!.Value),
        };
        var quoted = await rates.GetRateAsync(quote.Currency, cancellationToken);
        var secret = PaymentClientSecret.Generate();
        return await allocator.SubmitAsync(new PricedPaymentIntent(command.Site, quote,
            new ExchangeRate(quoted.Currency, quoted.FiatPerBtc, quoted.Source, quoted.ObservedAt.UtcDateTime),
            body.CustomerReference, body.Metadata, secret, PaymentClientSecret.Hash(secret), command.Idempotency), cancellationToken);
    }

    private async Task<Guid> PublishedArticleAsync(CreatePaymentIntent command, Guid articleId, CancellationToken cancellationToken) =>
        await db.Articles.AsNoTracking().AnyAsync(a => a.Id == articleId && a.SiteId == command.SiteId
            && a.Status == ArticleStatus.Published && a.DeletedAt == null, cancellationToken)
            ? articleId
            : throw DomainException.Invalid("payment_intent.article_not_found", $"Site '{command.Site}' has no published article {articleId}.");
}

/// <summary>The payment settings of the node (<c>Bitcoin</c> section).</summary>
public sealed class PaymentOptions
{
    public const string Section = "Bitcoin";

    /// <summary>An exchange rate older than this is refused for a new intent (default 10 minutes).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1440)]
    public int MaxRateAgeMinutes { get; init; } = PaymentRules.DefaultMaxRateAgeMinutes;
}

/// <summary>The BIP21 URI of an intent, with the label a wallet shows.</summary>
public static class PaymentLinks
{
    public static string Bip21(IPaymentUris uris, string site, PaymentIntent intent) =>
        uris.Bip21(intent.Address, intent.Network, intent.AmountSats, $"{site} {intent.Purpose switch
        {
            PaymentPurpose.Membership => $"membership {intent.PlanKey}",
            PaymentPurpose.ArticleUnlock => "article",
            _ => "donation",
        }}");
}
