using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Common.Idempotency;
using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Daxdi.Application.Features.Payments;

/// <summary>An intent priced by <see cref="CreatePaymentIntent"/>, waiting for its address.</summary>
/// <param name="Site">The site's key, for the BIP21 label.</param>
/// <param name="ClientSecret">The secret its creation answers once; only <paramref name="SecretHash"/> is stored.</param>
/// <param name="Idempotency">The request's key, recorded with the answer in the commit that stores the intent.</param>
public sealed record PricedPaymentIntent(string Site, PaymentQuote Quote, ExchangeRate Rate, string? CustomerReference,
    IReadOnlyDictionary<string, string>? Metadata, string ClientSecret, byte[] SecretHash, IdempotencyRequest Idempotency);

/// <summary>
/// Stores the intents priced since the last commit, in one commit with their sites' locks held from the wallets' read:
/// each gets the next derivation index of its site's wallet, so no two intents get one address, and each key's
/// idempotency record commits with its intent. An intent that breaks a rule (a stale rate, no wallet) fails alone.
/// </summary>
public sealed record AllocatePaymentIntents(IReadOnlyList<PricedPaymentIntent> Intents)
    : ICommand<IReadOnlyList<GroupOutcome<CreatedPaymentIntentDto>>>, ISiteLockedCommand
{
    public IReadOnlyCollection<Guid> SitesToLock { get; } = [.. Intents.Select(i => i.Quote.SiteId).Distinct()];
}

public sealed class AllocatePaymentIntentsHandler(IDaxdiDbContext db, IBitcoinKeys keys, IPaymentUris uris, IdempotentCommit idempotency,
    IOptions<PaymentOptions> options, TimeProvider clock)
    : ICommandHandler<AllocatePaymentIntents, IReadOnlyList<GroupOutcome<CreatedPaymentIntentDto>>>
{
    public async ValueTask<IReadOnlyList<GroupOutcome<CreatedPaymentIntentDto>>> Handle(AllocatePaymentIntents command, CancellationToken cancellationToken)
    {
        var sites = command.SitesToLock.ToList();
        var wallets = await db.BitcoinWallets.Where(w => sites.Contains(w.SiteId)).ToDictionaryAsync(w => w.SiteId, cancellationToken);
        var maxRateAge = TimeSpan.FromMinutes(options.Value.MaxRateAgeMinutes);
        var now = clock.UtcNow();
        return [.. command.Intents.Select(priced => Allocate(priced, wallets.GetValueOrDefault(priced.Quote.SiteId), maxRateAge, now))];
    }

    private GroupOutcome<CreatedPaymentIntentDto> Allocate(PricedPaymentIntent priced, BitcoinWallet? wallet, TimeSpan maxRateAge, DateTime now)
    {
        try
        {
            var intent = PaymentIntent.Create(priced.Quote, wallet ?? throw PaymentErrors.NoWallet(priced.Site),
                slot => keys.DeriveReceiveAddress(slot.ExtendedPublicKey, slot.Network, slot.Index),
                priced.Rate, maxRateAge, priced.CustomerReference, priced.Metadata, priced.SecretHash, now);
            db.PaymentIntents.Add(intent);
            var created = new CreatedPaymentIntentDto(PaymentIntentDto.From(intent, PaymentLinks.Bip21(uris, priced.Site, intent)), priced.ClientSecret);
            idempotency.Record(priced.Idempotency, created);
            return GroupOutcome.Of(created);
        }
        catch (DomainException e)
        {
            // PaymentIntent.Create checks its rules before it takes the wallet's index: nothing of this intent is tracked.
            return GroupOutcome.Failed<CreatedPaymentIntentDto>(e);
        }
    }
}
