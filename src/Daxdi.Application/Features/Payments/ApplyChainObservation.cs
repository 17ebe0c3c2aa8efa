using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Payments;

/// <summary>An intent the chain monitor looks at: open, or closed and still within <see cref="PaymentIntent.WatchUntil"/>.</summary>
public sealed record WatchedPaymentIntent(Guid Id, Guid SiteId, string Address, PaymentStatus Status, DateTime ExpiresAt)
{
    /// <summary>Whether <see cref="PaymentIntent.ExpireIfDue"/> would expire it: all there is to do without the chain.</summary>
    public bool ExpiryDue(DateTime now) => Status == PaymentStatus.RequiresPayment && now >= ExpiresAt;
}

/// <summary>
/// The intents the chain monitor watches at <paramref name="Now"/>, in id order after <paramref name="After"/>, at most
/// <paramref name="Max"/>: a poll pages through all of them, so none waits behind a full batch.
/// </summary>
public sealed record ListWatchedPaymentIntents(Guid? After, int Max, DateTime Now) : IQuery<IReadOnlyList<WatchedPaymentIntent>>;

public sealed class ListWatchedPaymentIntentsHandler(IDaxdiDbContext db) : IQueryHandler<ListWatchedPaymentIntents, IReadOnlyList<WatchedPaymentIntent>>
{
    public async ValueTask<IReadOnlyList<WatchedPaymentIntent>> Handle(ListWatchedPaymentIntents query, CancellationToken cancellationToken)
    {
        var intents = db.PaymentIntents.AsNoTracking()
            // PaymentIntent.IsWatched, in SQL: open whatever WatchUntil says (a payment may wait long for its confirmations).
            .Where(i => i.Status == PaymentStatus.RequiresPayment || i.Status == PaymentStatus.Processing || i.WatchUntil > query.Now);
        if (query.After is { } after)
        {
            intents = intents.Where(i => i.Id > after);
        }

        return await intents.OrderBy(i => i.Id).Take(query.Max)
            .Select(i => new WatchedPaymentIntent(i.Id, i.SiteId, i.Address, i.Status, i.ExpiresAt)).ToListAsync(cancellationToken);
    }
}

/// <summary>What the chain source showed for an intent's address: the tip, and every output paying the address.</summary>
/// <param name="Outputs">The complete current view, confirmed and mempool: a payment seen before and missing here is gone.</param>
public sealed record ChainObservation(int TipHeight, IReadOnlyList<AddressOutput> Outputs);

/// <summary>
/// Brings one intent up to date with the chain (the chain monitor, once per intent and poll): reconciles it with
/// <see cref="Observation"/>, or, when the chain source could not be read (null), only expires it if it is due. A
/// success grants the entitlement in the same commit; the first payment to the address closes the wallet's gap up to it.
/// </summary>
/// <remarks>
/// Runs under the site's lock from its first read (<see cref="ISiteLockedCommand"/>): two monitors that both reach the
/// intent (a stalled lease holder and its successor) take turns, and the second reads what the first committed, so
/// the view it applies changes nothing. Finance's actions do not take the lock; against those the intent's version
/// decides, and the unique index on the entitlement's intent is the last line. The loser's commit fails whole.
/// </remarks>
public sealed record ApplyChainObservation(Guid SiteId, Guid PaymentIntentId, ChainObservation? Observation)
    : ICommand<ChainObservationResult>, ISiteLockedCommand, IRoutineCommand
{
    public IReadOnlyCollection<Guid> SitesToLock => [SiteId];
}

/// <summary>How the intent stands after the observation.</summary>
/// <param name="Changed">Whether anything was saved.</param>
/// <param name="Alerts">Alerts the observation raised (a succeeded intent's payment reverted, money on a closed intent).</param>
public sealed record ChainObservationResult(bool Changed, PaymentStatus Status, PaymentExceptionStatus Exception, long ReceivedSats,
    bool Granted, IReadOnlyList<PaymentAlertReason> Alerts);

public sealed class ApplyChainObservationValidator : AbstractValidator<ApplyChainObservation>
{
    public ApplyChainObservationValidator()
    {
        RuleFor(x => x.SiteId).NotEmpty();
        RuleFor(x => x.PaymentIntentId).NotEmpty();
        When(x => x.Observation is not null, () =>
        {
            RuleFor(x => x.Observation!.TipHeight).GreaterThanOrEqualTo(0);
            RuleFor(x => x.Observation!.Outputs).NotNull();
        });
    }
}

public sealed class ApplyChainObservationHandler(IDaxdiDbContext db, TimeProvider clock)
    : ICommandHandler<ApplyChainObservation, ChainObservationResult>
{
    public async ValueTask<ChainObservationResult> Handle(ApplyChainObservation command, CancellationToken cancellationToken)
    {
        var intent = await PaymentActions.LoadAsync(db, command.PaymentIntentId, cancellationToken);
        if (intent.SiteId != command.SiteId)
        {
            throw new InvalidOperationException($"Payment intent {intent.Id} is not of site {command.SiteId}: the wrong site's lock was taken.");
        }

        var now = clock.UtcNow();
        var history = intent.History.Count;
        bool changed;
        if (command.Observation is { } seen)
        {
            var wallet = await db.BitcoinWallets.SingleAsync(w => w.Id == intent.WalletId, cancellationToken);
            var outputs = seen.Outputs.Select(o => new ObservedOutput(o.TxId, o.Vout, o.ValueSats, o.BlockHeight)).ToList();
            changed = intent.Observe(outputs, seen.TipHeight, wallet.RequiredConfirmations, now);
            if (intent.Payments.Any(p => !p.IsGone))
            {
                // False (and no write) once the index is covered: only the first payment to a new highest index touches the wallet.
                wallet.MarkAddressUsed(intent.KeyGeneration, intent.DerivationIndex, now);
            }
        }
        else
        {
            changed = intent.ExpireIfDue(now);
        }

        if (intent.NewEntitlement is { } entitlement)
        {
            db.Entitlements.Add(entitlement);
        }

        return new ChainObservationResult(changed, intent.Status, intent.ExceptionStatus, intent.ReceivedSats, intent.NewEntitlement is not null,
            [.. intent.History.Skip(history).Select(h => h.Alert).OfType<PaymentAlertReason>()]);
    }
}
