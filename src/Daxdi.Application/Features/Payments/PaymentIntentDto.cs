using System.Text.Json.Serialization;
using System.Diagnostics.CodeAnalysis;
using Daxdi.Application.Common;
using Daxdi.Domain.Payments;

namespace Daxdi.Application.Features.Payments;

/// <summary>A payment intent as its frontend sees it: what to pay, where, and how far the payment has come.</summary>
public record PaymentIntentDto : IVersioned
{
    public required Guid Id { get; init; }

    /// <summary><c>requiresPayment</c>, <c>processing</c> (paid, not yet confirmed), <c>succeeded</c>, <c>expired</c>, <c>canceled</c> or <c>failed</c>.</summary>
    public required PaymentStatus Status { get; init; }

    /// <summary>What is unusual about it: <c>none</c>, <c>underpaid</c>, <c>overpaid</c>, <c>paidLate</c>, <c>replaced</c> or <c>marked</c>.</summary>
    public required PaymentExceptionStatus Exception { get; init; }

    /// <summary><c>membership</c>, <c>articleUnlock</c> or <c>donation</c>.</summary>
    public required PaymentPurpose Purpose { get; init; }

    /// <summary>The membership plan bought, for a membership.</summary>
    public required string? PlanKey { get; init; }

    /// <summary>The article unlocked, for an article unlock.</summary>
    public required Guid? ArticleId { get; init; }

    /// <summary>The native segwit address to pay, derived for this intent alone.</summary>
    /// <example>tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl</example>
    public required string Address { get; init; }

    /// <summary>The amount to pay in satoshis.</summary>
    /// <example>12346</example>
    public required long AmountSats { get; init; }

    /// <summary>The same amount in BTC, as a decimal string with 8 decimals.</summary>
    /// <example>0.00012346</example>
    public required string AmountBtc { get; init; }

    /// <summary>The price in minor units of <see cref="Currency"/>.</summary>
    /// <example>500</example>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 code of the price.</summary>
    /// <example>EUR</example>
    public required string Currency { get; init; }

    /// <summary>The locked rate, units of <see cref="Currency"/> per bitcoin, as a decimal string.</summary>
    /// <example>40500.00000000</example>
    public required string Rate { get; init; }

    /// <summary>Who quoted the rate, and when.</summary>
    public required string RateSource { get; init; }

    public required DateTime RateAt { get; init; }

    /// <summary>A BIP21 URI with address, amount and label: what the QR code holds.</summary>
    /// <example>bitcoin:tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl?amount=0.00012346&amp;label=daxdi%20donation</example>
    public required string Bip21 { get; init; }

    /// <summary>When the intent stops waiting for its payment.</summary>
    public required DateTime ExpiresAt { get; init; }

    /// <summary>Satoshis received so far (payments not replaced or reorged out).</summary>
    public required long ReceivedSats { get; init; }

    /// <summary>Confirmations of the payment that completed the amount (0 while in the mempool).</summary>
    public required int Confirmations { get; init; }

    /// <summary>The payments seen on the chain, one per output, in the order they were first seen.</summary>
    public required IReadOnlyList<IntentPaymentDto> Payments { get; init; }

    public required DateTime CreatedAt { get; init; }

    /// <summary>When it reached a final status.</summary>
    public required DateTime? CompletedAt { get; init; }

    public required int Version { get; init; }

    public static PaymentIntentDto From(PaymentIntent i, string bip21) => new()
    {
        Id = i.Id, Status = i.Status, Exception = i.ExceptionStatus, Purpose = i.Purpose, PlanKey = i.PlanKey, ArticleId = i.ArticleId,
        Address = i.Address, AmountSats = i.AmountSats, AmountBtc = i.AmountBtc, Amount = i.Amount, Currency = i.Currency,
        Rate = i.Rate.ToString("0.00000000", System.Globalization.CultureInfo.InvariantCulture), RateSource = i.RateSource, RateAt = i.RateAt,
        Bip21 = bip21, ExpiresAt = i.ExpiresAt, ReceivedSats = i.ReceivedSats, Confirmations = i.Confirmations,
        // The store returns an aggregate's rows in no set order; the same version must read the same (its ETag says so).
        Payments = [.. i.Payments.OrderBy(p => p.FirstSeenAt).ThenBy(p => p.Txid, StringComparer.Ordinal).ThenBy(p => p.Vout)
            .Select(p => new IntentPaymentDto(p.Txid, p.Vout, p.ValueSats, p.BlockHeight, p.FirstSeenAt, p.IsGone))],
        CreatedAt = i.CreatedAt, CompletedAt = i.CompletedAt, Version = i.Version,
    };
}

/// <summary>One payment to the intent's address.</summary>
/// <param name="Txid">The transaction.</param>
/// <param name="Vout">The output's index in it.</param>
/// <param name="ValueSats">Satoshis paid by this output.</param>
/// <param name="BlockHeight">The block that confirmed it; null while in the mempool.</param>
/// <param name="FirstSeenAt">When the monitor first saw it.</param>
/// <param name="Gone">Replaced (RBF) or reorged out: no longer counts.</param>
public sealed record IntentPaymentDto(string Txid, int Vout, long ValueSats, int? BlockHeight, DateTime FirstSeenAt, bool Gone);

/// <summary>A new intent: as <see cref="PaymentIntentDto"/>, with the client secret shown this once.</summary>
public sealed record CreatedPaymentIntentDto : PaymentIntentDto
{
    /// <summary>For the deserializer: an idempotent replay reads the stored answer back.</summary>
    [JsonConstructor]
    public CreatedPaymentIntentDto()
    {
    }

    [SetsRequiredMembers]
    public CreatedPaymentIntentDto(PaymentIntentDto intent, string clientSecret)
        : base(intent) => ClientSecret = clientSecret;

    /// <summary>
    /// Send it as <c>X-Client-Secret</c> to read the intent. Shown once (and in an idempotent replay of this answer);
    /// stored only as a hash.
    /// </summary>
    public required string ClientSecret { get; init; }
}
