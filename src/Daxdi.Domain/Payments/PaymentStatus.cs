namespace Daxdi.Domain.Payments;

/// <summary>Where a payment intent is in its life (Stripe's PaymentIntent statuses, BTCPay's invoice states).</summary>
public enum PaymentStatus
{
    /// <summary>Waiting for the full amount at the intent's address; partial payments keep it here (exception underpaid).</summary>
    RequiresPayment,

    /// <summary>The full amount (within the underpayment tolerance) was seen before expiry and is not yet confirmed enough.</summary>
    Processing,

    /// <summary>Paid and confirmed, or marked settled by finance. Its entitlement is granted. Never reverts.</summary>
    Succeeded,

    /// <summary>The intent's lifetime ended without a full payment. A late full payment sets exception paidLate; finance decides.</summary>
    Expired,

    /// <summary>Finance canceled it before anything was received.</summary>
    Canceled,

    /// <summary>Finance marked it failed.</summary>
    Failed,
}

/// <summary>What is unusual about an intent beside its status (BTCPay's invoice exception status).</summary>
public enum PaymentExceptionStatus
{
    None,

    /// <summary>Less than the (tolerated) amount was received.</summary>
    Underpaid,

    /// <summary>More than the amount was received when it succeeded.</summary>
    Overpaid,

    /// <summary>The full amount arrived after expiry, within the monitoring window. Nothing is unlocked.</summary>
    PaidLate,

    /// <summary>A payment that was seen went away: replaced (RBF, double spend) or reorganised out of the chain.</summary>
    Replaced,

    /// <summary>Finance settled or failed the intent by hand.</summary>
    Marked,
}

/// <summary>The legal edges of the payment intent state machine; everything else is <c>payment_intent.invalid_transition</c>.</summary>
public static class PaymentTransitions
{
    /// <summary>Whether <paramref name="from"/> may become <paramref name="to"/> (by the chain monitor, expiry or finance).</summary>
    public static bool IsAllowed(PaymentStatus from, PaymentStatus to) => (from, to) switch
    {
        (PaymentStatus.RequiresPayment, PaymentStatus.Processing) => true,
        (PaymentStatus.RequiresPayment, PaymentStatus.Expired) => true,
        (PaymentStatus.RequiresPayment, PaymentStatus.Canceled) => true,
        (PaymentStatus.RequiresPayment, PaymentStatus.Succeeded) => true, // marked settled
        (PaymentStatus.RequiresPayment, PaymentStatus.Failed) => true, // marked failed
        (PaymentStatus.Processing, PaymentStatus.RequiresPayment) => true, // replaced or reorged out
        (PaymentStatus.Processing, PaymentStatus.Succeeded) => true,
        (PaymentStatus.Processing, PaymentStatus.Failed) => true, // marked failed
        (PaymentStatus.Expired, PaymentStatus.Succeeded) => true, // marked settled (e.g. paid late)
        (PaymentStatus.Expired, PaymentStatus.Failed) => true, // marked failed
        _ => false,
    };

    /// <summary>Statuses the chain monitor keeps watching whatever the time: the intent can still change by itself.</summary>
    public static bool IsOpen(PaymentStatus status) => status is PaymentStatus.RequiresPayment or PaymentStatus.Processing;
}
