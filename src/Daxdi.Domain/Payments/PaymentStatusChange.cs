namespace Daxdi.Domain.Payments;

/// <summary>
/// One entry of an intent's status history, never rewritten: a transition, a change of exception within a status, or
/// an alert (status unchanged, <see cref="Alert"/> set). <see cref="From"/> is null for the creation.
/// </summary>
public sealed class PaymentStatusChange
{
    private PaymentStatusChange()
    {
    }

    internal PaymentStatusChange(Guid paymentIntentId, int sequence, PaymentStatus? from, PaymentStatus to,
        PaymentExceptionStatus exception, PaymentAlertReason? alert, string? reason, string actor, DateTime at)
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(at, TimeSpan.Zero));
        PaymentIntentId = paymentIntentId;
        Sequence = sequence;
        From = from;
        To = to;
        Exception = exception;
        Alert = alert;
        Reason = reason;
        Actor = actor;
        At = at;
    }

    public Guid Id { get; private set; }

    public Guid PaymentIntentId { get; private set; }

    /// <summary>1, 2, 3 … within the intent: the order of the entries.</summary>
    public int Sequence { get; private set; }

    public PaymentStatus? From { get; private set; }

    public PaymentStatus To { get; private set; }

    /// <summary>The intent's exception after the change.</summary>
    public PaymentExceptionStatus Exception { get; private set; }

    public PaymentAlertReason? Alert { get; private set; }

    /// <summary>Why: the monitor's explanation, or finance's reason for a manual action.</summary>
    public string? Reason { get; private set; }

    /// <summary><see cref="PaymentIntent.MonitorActor"/>, <see cref="PaymentIntent.ClientActor"/>, or the finance user or key.</summary>
    public string Actor { get; private set; } = null!;

    public DateTime At { get; private set; }
}
