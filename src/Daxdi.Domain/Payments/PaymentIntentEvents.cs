using Daxdi.Domain.Common;

namespace Daxdi.Domain.Payments;

/// <summary>What happened to a payment intent; each maps to one <c>paymentIntent.*</c> webhook type.</summary>
public enum PaymentIntentEventKind
{
    Created,

    /// <summary>A payment arrived that does not cover the amount (status unchanged, exception underpaid).</summary>
    PartiallyPaid,

    Processing,

    /// <summary>Payments seen went away (replaced or reorged out): back to requiresPayment, or a partial payment vanished.</summary>
    PaymentReverted,

    Succeeded,

    Expired,

    /// <summary>The full amount arrived after expiry, within the monitoring window. Nothing is unlocked; finance decides.</summary>
    PaidLate,

    Canceled,

    Failed,

    /// <summary>Something finance must look at that the state machine will not act on by itself (<see cref="PaymentAlertReason"/>).</summary>
    Alert,
}

/// <summary>Why an alert was raised.</summary>
public enum PaymentAlertReason
{
    /// <summary>
    /// A payment of a succeeded (or paid-late) intent was replaced, reorganised out or lost its confirmations, so it
    /// would no longer qualify. A succeeded intent never reverts by itself: finance decides.
    /// </summary>
    PaymentReverted,

    /// <summary>Money arrived at the address of an intent that is already closed (succeeded, canceled, failed, or expired past its window).</summary>
    PaymentOnClosedIntent,
}

/// <summary>
/// An intent's status or exception changed, or an alert was raised, as the intent stood after it. Carries no secret
/// (no client secret or its hash), no finance reason or actor (those stay in the history).
/// </summary>
/// <param name="EntitlementId">Set on <see cref="PaymentIntentEventKind.Succeeded"/> and later: what was granted.</param>
public sealed record PaymentIntentChanged(
    PaymentIntentEventKind Kind,
    Guid SiteId,
    Guid PaymentIntentId,
    PaymentStatus? PreviousStatus,
    PaymentStatus Status,
    PaymentExceptionStatus Exception,
    PaymentAlertReason? Alert,
    PaymentPurpose Purpose,
    string? PlanKey,
    Guid? ArticleId,
    string? CustomerReference,
    long Amount,
    string Currency,
    long AmountSats,
    long ReceivedSats,
    Guid? EntitlementId,
    int Version,
    DateTime OccurredAt) : IDomainEvent;
