using Daxdi.Domain.Common;

namespace Daxdi.Domain.Payments;

/// <summary>
/// A request to pay a site in bitcoin for one purpose, priced in fiat and locked to a satoshi amount, a rate and a fresh
/// receive address when created. The chain monitor reports what it sees through <see cref="Observe"/>, expiry comes
/// through <see cref="ExpireIfDue"/> (or <see cref="Observe"/>), and finance acts through <see cref="Cancel"/>,
/// <see cref="MarkSettled"/> and <see cref="MarkFailed"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every change of status runs through one guarded transition (<see cref="PaymentTransitions.IsAllowed"/>; anything
/// else is <c>payment_intent.invalid_transition</c>, a conflict), is appended to <see cref="History"/> and raises one
/// <see cref="PaymentIntentChanged"/>. One call may take several transitions in order (a payment first seen already
/// confirmed goes requiresPayment → processing → succeeded), each with its own history entry and event.
/// </para>
/// <para>
/// <see cref="Payments"/> and <see cref="History"/> are part of the aggregate and must be loaded with it.
/// </para>
/// </remarks>
public sealed class PaymentIntent : Entity
{
    /// <summary>The actor of changes made by the chain monitor and expiry.</summary>
    public const string MonitorActor = "monitor";

    /// <summary>The actor of the creation (a visitor's page, through the public endpoint).</summary>
    public const string ClientActor = "client";

    private readonly List<IntentPayment> _payments = [];
    private readonly List<PaymentStatusChange> _history = [];
    private Entitlement? _newEntitlement;

    private PaymentIntent()
    {
    }

    private PaymentIntent(PaymentQuote quote, BitcoinWallet wallet, AddressSlot slot, string address, ExchangeRate rate,
        long amountSats, string? customerReference, SortedDictionary<string, string> metadata, byte[] clientSecretHash,
        DateTime now)
        : base(now)
    {
        SiteId = quote.SiteId;
        WalletId = wallet.Id;
        Network = slot.Network;
        KeyGeneration = slot.KeyGeneration;
        DerivationIndex = slot.Index;
        Address = address;
        Purpose = quote.Purpose;
        PlanKey = quote.PlanKey;
        PlanDurationDays = quote.PlanDurationDays;
        ArticleId = quote.ArticleId;
        CustomerReference = customerReference;
        Metadata = metadata;
        Amount = quote.AmountMinor;
        Currency = quote.Currency;
        Rate = rate.FiatPerBtc;
        RateSource = rate.Source;
        RateAt = rate.At;
        AmountSats = amountSats;
        MinimumAcceptedSats = amountSats - (long)decimal.Floor(amountSats * wallet.UnderpaymentTolerancePercent / 100m);
        ExpiresAt = now + wallet.IntentLifetime;
        MonitoringWindowHours = wallet.MonitoringWindowHours;
        WatchUntil = ExpiresAt + wallet.MonitoringWindow;
        ClientSecretHash = clientSecretHash;
        Status = PaymentStatus.RequiresPayment;
        ExceptionStatus = PaymentExceptionStatus.None;
        Record(null, null, "created", ClientActor, now);
        RaiseChanged(PaymentIntentEventKind.Created, null, null, now);
    }

    public Guid SiteId { get; private set; }

    public Guid WalletId { get; private set; }

    /// <summary>The chain <see cref="Address"/> is on (the wallet's network when the intent was created).</summary>
    public BitcoinNetwork Network { get; private set; }

    /// <summary>The wallet key generation the address was derived from.</summary>
    public int KeyGeneration { get; private set; }

    /// <summary>The address's index on the external chain of that key; unique per wallet and generation.</summary>
    public int DerivationIndex { get; private set; }

    /// <summary>The receive address (native segwit), derived by Infrastructure and network-checked.</summary>
    public string Address { get; private set; } = null!;

    public PaymentPurpose Purpose { get; private set; }

    public string? PlanKey { get; private set; }

    /// <summary>The plan's duration when the intent was created; the membership lasts this long.</summary>
    public int? PlanDurationDays { get; private set; }

    public Guid? ArticleId { get; private set; }

    /// <summary>The integrator's own reference for the buyer (e.g. a reader id).</summary>
    public string? CustomerReference { get; private set; }

    /// <summary>The integrator's key-value pairs, in ordinal key order.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; private set; } = null!;

    /// <summary>The price in minor units of <see cref="Currency"/>.</summary>
    public long Amount { get; private set; }

    public string Currency { get; private set; } = null!;

    /// <summary>The locked rate: units of <see cref="Currency"/> per BTC.</summary>
    public decimal Rate { get; private set; }

    public string RateSource { get; private set; } = null!;

    public DateTime RateAt { get; private set; }

    /// <summary>What the visitor is asked to pay, rounded up once from <see cref="Amount"/> at <see cref="Rate"/>.</summary>
    public long AmountSats { get; private set; }

    /// <summary><see cref="AmountSats"/> as BIP21 writes it, e.g. "0.00012345". Derived, so it can never disagree.</summary>
    public string AmountBtc => BitcoinAmounts.FormatBtc(AmountSats);

    /// <summary>The least that counts as full payment: <see cref="AmountSats"/> less the wallet's underpayment tolerance (rounded in the merchant's favour).</summary>
    public long MinimumAcceptedSats { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public int MonitoringWindowHours { get; private set; }

    /// <summary>Until when a full payment after expiry is reported as paidLate.</summary>
    public DateTime LatePaymentDeadline => ExpiresAt.AddHours(MonitoringWindowHours);

    /// <summary>
    /// Until when the chain monitor keeps watching the address once the intent is no longer open: the late-payment
    /// deadline, pushed to a window after success, cancellation or failure (to catch a reorg, or money sent anyway).
    /// </summary>
    public DateTime WatchUntil { get; private set; }

    /// <summary>SHA-256 of the client secret (<see cref="PaymentClientSecret"/>); the secret itself is never stored.</summary>
    public byte[] ClientSecretHash { get; private set; } = null!;

    public PaymentStatus Status { get; private set; }

    /// <summary>The API's <c>exception</c>.</summary>
    public PaymentExceptionStatus ExceptionStatus { get; private set; }

    /// <summary>The sum of the payments that are not gone.</summary>
    public long ReceivedSats { get; private set; }

    /// <summary>
    /// Confirmations of the least confirmed payment (0 while one is in the mempool or none was seen), as counted while
    /// the intent was open; frozen once it is closed. Payments carry their block heights for anything finer.
    /// </summary>
    public int Confirmations { get; private set; }

    /// <summary>When it succeeded, was canceled or failed.</summary>
    public DateTime? CompletedAt { get; private set; }

    /// <summary>When the last alert was raised, if any: finance's list filters on it.</summary>
    public DateTime? LastAlertAt { get; private set; }

    /// <summary>The entitlement granted on success; set once, never changed.</summary>
    public Guid? EntitlementId { get; private set; }

    /// <summary>
    /// The entitlement granted by a change made through this instance and not yet saved: the caller adds it to the
    /// store with the intent. Not a mapped navigation; read an intent's entitlement by <see cref="EntitlementId"/>.
    /// </summary>
    public Entitlement? NewEntitlement => _newEntitlement;

    public IReadOnlyList<IntentPayment> Payments => _payments;

    public IReadOnlyList<PaymentStatusChange> History => _history;

    /// <summary>
    /// A new intent for <paramref name="quote"/> on <paramref name="wallet"/>: checks the rate's age, converts to
    /// satoshis (rounded up once), then takes the wallet's next derivation index and has
    /// <paramref name="deriveAddress"/> (Infrastructure, NBitcoin) derive the address for it.
    /// </summary>
    /// <param name="maxRateAge">How old <paramref name="rate"/> may be (configuration).</param>
    /// <param name="clientSecretHash"><see cref="PaymentClientSecret.Hash"/> of the secret returned to the client.</param>
    public static PaymentIntent Create(PaymentQuote quote, BitcoinWallet wallet, Func<AddressSlot, string> deriveAddress,
        ExchangeRate rate, TimeSpan maxRateAge, string? customerReference, IReadOnlyDictionary<string, string>? metadata,
        byte[] clientSecretHash, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(wallet);
        ArgumentNullException.ThrowIfNull(deriveAddress);
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentNullException.ThrowIfNull(clientSecretHash);
        if (quote.SiteId != wallet.SiteId)
        {
            throw new ArgumentException("The offers and the wallet belong to different sites.", nameof(wallet));
        }

        if (rate.Currency != quote.Currency)
        {
            throw new ArgumentException($"A {rate.Currency} rate cannot price a {quote.Currency} amount.", nameof(rate));
        }

        if (clientSecretHash.Length != PaymentRules.ClientSecretHashLength)
        {
            throw new ArgumentException("The client secret hash is a SHA-256.", nameof(clientSecretHash));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxRateAge, TimeSpan.Zero);
        if (!rate.IsFresh(now, maxRateAge))
        {
            throw DomainException.InvalidState("payment_intent.rate_stale",
                $"The {rate.Currency} exchange rate from {rate.Source} is older than {maxRateAge.TotalMinutes:0} minutes; try again shortly.");
        }

        ValidateCustomerReference(customerReference);
        var cleanMetadata = ValidateMetadata(metadata);

        var sats = BitcoinAmounts.ToSatoshis(quote.AmountMinor, FiatCurrencies.Exponent(quote.Currency), rate.FiatPerBtc);
        if (sats < PaymentRules.MinAmountSats)
        {
            throw DomainException.InvalidState("payment_intent.amount_below_dust",
                $"{quote.AmountMinor} {quote.Currency} minor units is {sats} sats, below the {PaymentRules.MinAmountSats} sats a "
                + "wallet can send to one output.");
        }

        var slot = wallet.AllocateAddress(now);
        var address = deriveAddress(slot);
        if (string.IsNullOrWhiteSpace(address) || address.Length > PaymentRules.AddressMaxLength || address.Any(char.IsWhiteSpace))
        {
            throw new InvalidOperationException("The address deriver returned no valid address.");
        }

        return new PaymentIntent(quote, wallet, slot, address, rate, sats, customerReference, cleanMetadata, clientSecretHash, now);
    }

    /// <summary>Whether <paramref name="secret"/> is this intent's client secret (constant time).</summary>
    public bool SecretMatches(string? secret) => PaymentClientSecret.Matches(secret, ClientSecretHash);

    /// <summary>Whether the chain monitor should still look at the address: always while open, then until <see cref="WatchUntil"/>.</summary>
    public bool IsWatched(DateTime now) => PaymentTransitions.IsOpen(Status) || now < WatchUntil;

    /// <summary>
    /// Reconciles the intent with the chain monitor's complete current view of the outputs paying its address, then
    /// applies the transitions that view calls for. Returns whether anything changed (the caller saves only then).
    /// </summary>
    /// <param name="outputs">Every output paying <see cref="Address"/> the monitor sees now, in blocks or the mempool. A
    /// payment seen before and missing here is marked gone (replaced or reorganised out).</param>
    /// <param name="tipHeight">The height of the chain's tip: confirmations = tip − block height + 1.</param>
    /// <param name="requiredConfirmations">The wallet's current setting.</param>
    /// <remarks>
    /// <list type="table">
    /// <item><term>partial payment</term><description>stays requiresPayment, exception underpaid.</description></item>
    /// <item><term>full payment (within tolerance) seen before expiry</term><description>processing.</description></item>
    /// <item><term>enough confirmations</term><description>succeeded (overpaid when more was paid); entitlement granted.</description></item>
    /// <item><term>expiry without full payment</term><description>expired (keeping underpaid or replaced).</description></item>
    /// <item><term>full payment after expiry, within the window</term><description>stays expired, exception paidLate; nothing unlocked.</description></item>
    /// <item><term>processing and the payment is replaced or reorged out</term><description>requiresPayment, exception replaced.</description></item>
    /// <item><term>anything that would revert succeeded, or money on a closed intent</term><description>an alert; the status stays.</description></item>
    /// </list>
    /// </remarks>
    public bool Observe(IReadOnlyCollection<ObservedOutput> outputs, int tipHeight, int requiredConfirmations, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentOutOfRangeException.ThrowIfNegative(tipHeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(requiredConfirmations, PaymentRules.MinRequiredConfirmations);
        var current = Normalise(outputs, tipHeight);

        var version = Version;
        var start = Status;
        var rows = Reconcile(current, now);
        var received = _payments.Where(p => !p.IsGone).Sum(p => p.ValueSats);
        var confirmations = PaymentTransitions.IsOpen(start) ? LeastConfirmations(tipHeight) : Confirmations;
        if (rows.Any || received != ReceivedSats || confirmations != Confirmations)
        {
            ReceivedSats = received;
            Confirmations = confirmations;
            Touch(now);
        }

        Advance(rows, start, tipHeight, requiredConfirmations, now);
        return Version != version;
    }

    /// <summary>
    /// What the expiry job does for intents with no chain activity: a requiresPayment intent past
    /// <see cref="ExpiresAt"/> becomes expired. Returns false when it is not due (or not awaiting payment).
    /// </summary>
    /// <remarks>
    /// Leaving the monitoring window changes no state: <see cref="WatchUntil"/> is stored, so the monitor's query stops
    /// selecting the intent, and a paidLate intent stays paidLate for finance to decide.
    /// </remarks>
    public bool ExpireIfDue(DateTime now)
    {
        if (Status != PaymentStatus.RequiresPayment || now < ExpiresAt)
        {
            return false;
        }

        Transition(PaymentStatus.Expired, ExceptionStatus, MonitorActor, "expired without full payment", now);
        return true;
    }

    /// <summary>Finance cancels an intent that is awaiting payment and has received nothing.</summary>
    public void Cancel(string actor, string? reason, DateTime now)
    {
        CheckActor(actor);
        if (reason is not null)
        {
            CheckReason(reason);
        }

        EnsureAllowed(PaymentStatus.Canceled, "cancel");
        if (_payments.Any(p => !p.IsGone))
        {
            throw DomainException.Conflict("payment_intent.payment_received",
                $"{ReceivedSats} sats were received for this intent; it can no longer be canceled. Mark it settled or failed.");
        }

        Transition(PaymentStatus.Canceled, ExceptionStatus, actor, reason, now);
    }

    /// <summary>Finance settles an intent by hand (e.g. paid late, or underpaid and accepted): succeeded, exception marked, entitlement granted.</summary>
    public void MarkSettled(string actor, string reason, DateTime now)
    {
        CheckActor(actor);
        CheckReason(reason);
        EnsureAllowed(PaymentStatus.Succeeded, "mark settled");
        Succeed(PaymentExceptionStatus.Marked, actor, reason, now);
    }

    /// <summary>Finance fails an intent by hand: failed, exception marked. A succeeded intent cannot be failed.</summary>
    public void MarkFailed(string actor, string reason, DateTime now)
    {
        CheckActor(actor);
        CheckReason(reason);
        EnsureAllowed(PaymentStatus.Failed, "mark failed");
        Transition(PaymentStatus.Failed, PaymentExceptionStatus.Marked, actor, reason, now);
    }

    private void Advance(RowChanges rows, PaymentStatus start, int tipHeight, int requiredConfirmations, DateTime now)
    {
        var reverted = false;
        while (true)
        {
            switch (Status)
            {
                case PaymentStatus.RequiresPayment:
                    if (now < ExpiresAt ? IsFull() : IsFull(seenBefore: ExpiresAt))
                    {
                        Transition(PaymentStatus.Processing, PaymentExceptionStatus.None, MonitorActor, "full payment seen", now);
                        continue;
                    }

                    if (now >= ExpiresAt)
                    {
                        Transition(PaymentStatus.Expired, ExceptionStatus, MonitorActor, "expired without full payment", now);
                        continue;
                    }

                    if (!reverted)
                    {
                        UpdatePartialException(rows, now);
                    }

                    return;

                case PaymentStatus.Processing:
                    if (!IsFull())
                    {
                        Transition(PaymentStatus.RequiresPayment, PaymentExceptionStatus.Replaced, MonitorActor,
                            "payment replaced or reorganised out", now);
                        reverted = true;
                        continue;
                    }

                    if (IsConfirmed(tipHeight, requiredConfirmations))
                    {
                        var exception = ReceivedSats > AmountSats ? PaymentExceptionStatus.Overpaid : PaymentExceptionStatus.None;
                        Succeed(exception, MonitorActor, $"{requiredConfirmations} confirmation(s) reached", now);
                    }

                    return;

                case PaymentStatus.Expired:
                    var pastWindow = now > LatePaymentDeadline;
                    if (ExceptionStatus == PaymentExceptionStatus.PaidLate && rows.Weakened && !IsFull())
                    {
                        // Finance may be about to settle on money that is no longer there.
                        RaiseAlert(PaymentAlertReason.PaymentReverted, "the late payment was replaced or reorganised out", now);
                    }

                    if (pastWindow)
                    {
                        if (rows.NewMoney)
                        {
                            RaiseAlert(PaymentAlertReason.PaymentOnClosedIntent, "payment after the monitoring window", now);
                        }
                    }
                    else if (ExceptionStatus == PaymentExceptionStatus.PaidLate)
                    {
                        // Stays paidLate: finance decides.
                    }
                    else if (IsFull())
                    {
                        ChangeException(PaymentExceptionStatus.PaidLate, "full payment after expiry", now);
                    }
                    else
                    {
                        UpdatePartialException(rows, now);
                    }

                    return;

                case PaymentStatus.Succeeded when start == PaymentStatus.Succeeded:
                    if (rows.Weakened && !IsConfirmed(tipHeight, requiredConfirmations))
                    {
                        RaiseAlert(PaymentAlertReason.PaymentReverted,
                            "a payment of the succeeded intent was replaced, reorganised out or lost its confirmations", now);
                    }

                    if (rows.NewMoney)
                    {
                        RaiseAlert(PaymentAlertReason.PaymentOnClosedIntent, "payment after success", now);
                    }

                    return;

                case PaymentStatus.Canceled or PaymentStatus.Failed:
                    if (rows.NewMoney)
                    {
                        RaiseAlert(PaymentAlertReason.PaymentOnClosedIntent, $"payment after the intent was {Name(Status)}", now);
                    }

                    return;

                default:
                    return;
            }
        }
    }

    /// <summary>Within requiresPayment (or expired, within the window): underpaid when a partial payment arrives, replaced when it vanishes.</summary>
    private void UpdatePartialException(RowChanges rows, DateTime now)
    {
        if (ReceivedSats > 0 && rows.NewMoney && ExceptionStatus is PaymentExceptionStatus.None or PaymentExceptionStatus.Replaced)
        {
            ChangeException(PaymentExceptionStatus.Underpaid, "partial payment", now);
        }
        else if (ReceivedSats == 0 && rows.Gone && ExceptionStatus == PaymentExceptionStatus.Underpaid)
        {
            ChangeException(PaymentExceptionStatus.Replaced, "partial payment replaced or reorganised out", now);
        }
    }

    /// <summary>Whether the live payments (those first seen before <paramref name="seenBefore"/>, if given) cover the tolerated amount.</summary>
    private bool IsFull(DateTime? seenBefore = null)
    {
        var sum = _payments.Where(p => !p.IsGone && (seenBefore is null || p.FirstSeenAt < seenBefore)).Sum(p => p.ValueSats);
        return sum > 0 && sum >= MinimumAcceptedSats;
    }

    private bool IsConfirmed(int tipHeight, int requiredConfirmations)
    {
        var sum = _payments.Where(p => p.ConfirmationsAt(tipHeight) >= requiredConfirmations).Sum(p => p.ValueSats);
        return sum > 0 && sum >= MinimumAcceptedSats;
    }

    private int LeastConfirmations(int tipHeight)
    {
        var live = _payments.Where(p => !p.IsGone).ToList();
        return live.Count == 0 ? 0 : live.Min(p => p.ConfirmationsAt(tipHeight));
    }

    private RowChanges Reconcile(List<ObservedOutput> outputs, DateTime now)
    {
        bool any = false, newMoney = false, gone = false, weakened = false;
        foreach (var output in outputs)
        {
            var row = _payments.Find(p => p.Txid == output.Txid && p.Vout == output.Vout);
            if (row is null)
            {
                _payments.Add(new IntentPayment(Id, output, now));
                any = newMoney = true;
            }
            else if (row.IsGone)
            {
                row.Revive(output.BlockHeight);
                any = newMoney = true;
            }
            else if (row.BlockHeight != output.BlockHeight)
            {
                // Back in the mempool, or in a later block: a reorganisation took confirmations away.
                weakened |= row.BlockHeight is { } before && (output.BlockHeight is not { } after || after > before);
                row.MoveTo(output.BlockHeight);
                any = true;
            }
        }

        var missing = _payments.Where(p => !p.IsGone && !outputs.Exists(o => o.Txid == p.Txid && o.Vout == p.Vout)).ToList();
        foreach (var row in missing)
        {
            row.MarkGone(now);
            any = gone = weakened = true;
        }

        return new RowChanges(any, newMoney, gone, weakened);
    }

    private List<ObservedOutput> Normalise(IReadOnlyCollection<ObservedOutput> outputs, int tipHeight)
    {
        var result = new List<ObservedOutput>(outputs.Count);
        foreach (var output in outputs)
        {
            if (output is null || output.Txid is null || output.Txid.Length != PaymentRules.TxidLength || !output.Txid.All(char.IsAsciiHexDigit))
            {
                throw new ArgumentException("A txid is 64 hexadecimal characters.", nameof(outputs));
            }

            if (output.Vout < 0 || output.ValueSats <= 0 || output.ValueSats > BitcoinAmounts.MaxSatoshis
                || output.BlockHeight is < 0 || output.BlockHeight > tipHeight)
            {
                throw new ArgumentException(
                    $"Output {output.Txid}:{output.Vout} has an impossible index, value or height (tip {tipHeight}).", nameof(outputs));
            }

            var normal = output with { Txid = output.Txid.ToLowerInvariant() };
            if (result.Exists(o => o.Txid == normal.Txid && o.Vout == normal.Vout))
            {
                throw new ArgumentException($"Output {normal.Txid}:{normal.Vout} is listed twice.", nameof(outputs));
            }

            result.Add(normal);
        }

        // Checked before anything changes, so a view that contradicts the rows is refused whole.
        foreach (var output in result)
        {
            if (_payments.Find(p => p.Txid == output.Txid && p.Vout == output.Vout) is { } row && row.ValueSats != output.ValueSats)
            {
                throw new ArgumentException(
                    $"Output {output.Txid}:{output.Vout} was seen with {row.ValueSats} sats and is now reported with {output.ValueSats}.",
                    nameof(outputs));
            }
        }

        return result;
    }

    private void Succeed(PaymentExceptionStatus exception, string actor, string reason, DateTime now)
    {
        EnsureAllowed(PaymentStatus.Succeeded, "succeed");
        if (EntitlementId is not null)
        {
            throw new InvalidOperationException("The entitlement of this intent was granted already.");
        }

        _newEntitlement = new Entitlement(this, now);
        EntitlementId = _newEntitlement.Id;
        Transition(PaymentStatus.Succeeded, exception, actor, reason, now);
    }

    /// <summary>The one way the status changes: guarded, recorded, announced.</summary>
    private void Transition(PaymentStatus to, PaymentExceptionStatus exception, string actor, string? reason, DateTime now)
    {
        EnsureAllowed(to, "move to " + Name(to));
        var from = Status;
        Status = to;
        ExceptionStatus = exception;
        if (to is PaymentStatus.Succeeded or PaymentStatus.Canceled or PaymentStatus.Failed)
        {
            CompletedAt = now;
            var watch = now.AddHours(MonitoringWindowHours);
            WatchUntil = watch > WatchUntil ? watch : WatchUntil;
        }

        Touch(now);
        Record(from, null, reason, actor, now);
        RaiseChanged(to switch
        {
            PaymentStatus.RequiresPayment => PaymentIntentEventKind.PaymentReverted,
            PaymentStatus.Processing => PaymentIntentEventKind.Processing,
            PaymentStatus.Succeeded => PaymentIntentEventKind.Succeeded,
            PaymentStatus.Expired => PaymentIntentEventKind.Expired,
            PaymentStatus.Canceled => PaymentIntentEventKind.Canceled,
            _ => PaymentIntentEventKind.Failed,
        }, from, null, now);
    }

    private void ChangeException(PaymentExceptionStatus exception, string reason, DateTime now)
    {
        ExceptionStatus = exception;
        Touch(now);
        Record(Status, null, reason, MonitorActor, now);
        RaiseChanged(exception switch
        {
            PaymentExceptionStatus.Underpaid => PaymentIntentEventKind.PartiallyPaid,
            PaymentExceptionStatus.PaidLate => PaymentIntentEventKind.PaidLate,
            _ => PaymentIntentEventKind.PaymentReverted,
        }, Status, null, now);
    }

    private void RaiseAlert(PaymentAlertReason alert, string reason, DateTime now)
    {
        LastAlertAt = now;
        Touch(now);
        Record(Status, alert, reason, MonitorActor, now);
        RaiseChanged(PaymentIntentEventKind.Alert, Status, alert, now);
    }

    private void EnsureAllowed(PaymentStatus to, string action)
    {
        if (!PaymentTransitions.IsAllowed(Status, to))
        {
            throw DomainException.Conflict("payment_intent.invalid_transition",
                $"Cannot {action} a payment intent that is {Name(Status)} (it would become {Name(to)}).");
        }
    }

    private void Record(PaymentStatus? from, PaymentAlertReason? alert, string? reason, string actor, DateTime now) =>
        _history.Add(new PaymentStatusChange(Id, _history.Count + 1, from, Status, ExceptionStatus, alert, reason, actor, now));

    private void RaiseChanged(PaymentIntentEventKind kind, PaymentStatus? previous, PaymentAlertReason? alert, DateTime now) =>
        Raise(new PaymentIntentChanged(kind, SiteId, Id, previous, Status, ExceptionStatus, alert, Purpose, PlanKey, ArticleId,
            CustomerReference, Amount, Currency, AmountSats, ReceivedSats, EntitlementId, Version, now));

    private static void CheckActor(string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(actor.Length, PaymentRules.ActorMaxLength, nameof(actor));
    }

    private static void CheckReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > PaymentRules.ReasonMaxLength)
        {
            throw DomainException.Invalid("payment_intent.reason_required",
                $"A manual action needs a reason of 1 to {PaymentRules.ReasonMaxLength} characters.");
        }
    }

    private static void ValidateCustomerReference(string? reference)
    {
        if (reference is not null && (string.IsNullOrWhiteSpace(reference) || reference.Length > PaymentRules.CustomerReferenceMaxLength))
        {
            throw DomainException.Invalid("payment_intent.invalid_customer_reference",
                $"A customer reference is 1 to {PaymentRules.CustomerReferenceMaxLength} characters.");
        }
    }

    private static SortedDictionary<string, string> ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (metadata is null)
        {
            return result;
        }

        if (metadata.Count > PaymentRules.MaxMetadataKeys)
        {
            throw InvalidMetadata();
        }

        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > PaymentRules.MetadataKeyMaxLength
                || value is null || value.Length > PaymentRules.MetadataValueMaxLength)
            {
                throw InvalidMetadata();
            }

            result.Add(key, value);
        }

        return result;
    }

    private static DomainException InvalidMetadata() => DomainException.Invalid("payment_intent.invalid_metadata",
        $"Metadata holds at most {PaymentRules.MaxMetadataKeys} keys of 1 to {PaymentRules.MetadataKeyMaxLength} characters, "
        + $"each with a value of at most {PaymentRules.MetadataValueMaxLength} characters.");

    /// <summary>The status as the API spells it (camelCase).</summary>
    private static string Name(PaymentStatus status)
    {
        var name = status.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>What a reconciliation changed in the payment rows.</summary>
    /// <param name="NewMoney">A payment appeared, or one that was gone came back.</param>
    /// <param name="Gone">A payment left the monitor's view.</param>
    /// <param name="Weakened">A payment went, or lost confirmations to a reorganisation.</param>
    private readonly record struct RowChanges(bool Any, bool NewMoney, bool Gone, bool Weakened);
}
