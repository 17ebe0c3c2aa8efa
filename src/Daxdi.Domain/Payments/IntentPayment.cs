namespace Daxdi.Domain.Payments;

/// <summary>
/// One output the chain monitor saw paying an intent's address, as it stands in the monitor's complete current view:
/// <see cref="BlockHeight"/> is null while the transaction is in the mempool.
/// </summary>
public sealed record ObservedOutput(string Txid, int Vout, long ValueSats, int? BlockHeight);

/// <summary>
/// One payment (transaction output) to an intent's address, owned by the intent; unique per <c>txid:vout</c>. A payment
/// that leaves the monitor's view (replaced by RBF, double-spent, reorganised out) is kept, marked gone, so the history
/// of what was seen stays; it counts again if it comes back.
/// </summary>
public sealed class IntentPayment
{
    private IntentPayment()
    {
    }

    internal IntentPayment(Guid paymentIntentId, ObservedOutput output, DateTime now)
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero));
        PaymentIntentId = paymentIntentId;
        Txid = output.Txid;
        Vout = output.Vout;
        ValueSats = output.ValueSats;
        BlockHeight = output.BlockHeight;
        FirstSeenAt = now;
    }

    public Guid Id { get; private set; }

    public Guid PaymentIntentId { get; private set; }

    /// <summary>Lowercase hex, 64 characters.</summary>
    public string Txid { get; private set; } = null!;

    public int Vout { get; private set; }

    public long ValueSats { get; private set; }

    /// <summary>The block that confirmed it; null while in the mempool (or back in it after a reorg).</summary>
    public int? BlockHeight { get; private set; }

    /// <summary>When the monitor first saw it: "before expiry" is judged on this.</summary>
    public DateTime FirstSeenAt { get; private set; }

    /// <summary>When it left the monitor's view (replaced or reorged out); null while it counts.</summary>
    public DateTime? GoneAt { get; private set; }

    public bool IsGone => GoneAt is not null;

    /// <summary><c>tip − height + 1</c> once in a block; 0 in the mempool or when gone.</summary>
    public int ConfirmationsAt(int tipHeight) => !IsGone && BlockHeight is { } height ? Math.Max(0, tipHeight - height + 1) : 0;

    internal void MoveTo(int? blockHeight) => BlockHeight = blockHeight;

    internal void MarkGone(DateTime now) => GoneAt = now;

    internal void Revive(int? blockHeight)
    {
        GoneAt = null;
        BlockHeight = blockHeight;
    }
}
