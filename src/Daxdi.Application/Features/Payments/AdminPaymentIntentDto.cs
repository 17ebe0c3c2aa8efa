using System.Diagnostics.CodeAnalysis;
using Daxdi.Domain.Payments;

namespace Daxdi.Application.Features.Payments;

/// <summary>An intent as finance sees it: the frontend's view plus who it is for, its metadata and every status change.</summary>
public sealed record AdminPaymentIntentDto : PaymentIntentDto
{
    /// <summary>The site's key.</summary>
    public required string Site { get; init; }

    public required string? CustomerReference { get; init; }

    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>The key generation and index the address was derived at (receive chain <c>0/index</c>).</summary>
    public required int KeyGeneration { get; init; }

    public required int DerivationIndex { get; init; }

    /// <summary>The entitlement granted on success.</summary>
    public required Guid? EntitlementId { get; init; }

    /// <summary>Every status change, oldest first, with who made it (<c>monitor</c>, <c>client</c> or a key's name) and why.</summary>
    public required IReadOnlyList<PaymentStatusChangeDto> History { get; init; }

    [SetsRequiredMembers]
    private AdminPaymentIntentDto(PaymentIntentDto intent, PaymentIntent i, string site)
        : base(intent)
    {
        Site = site;
        CustomerReference = i.CustomerReference;
        Metadata = i.Metadata;
        KeyGeneration = i.KeyGeneration;
        DerivationIndex = i.DerivationIndex;
        EntitlementId = i.EntitlementId;
        History = [.. i.History.OrderBy(h => h.Sequence).Select(h => new PaymentStatusChangeDto(h.From, h.To, h.Exception, h.Alert, h.Reason, h.Actor, h.At))];
    }

    public static AdminPaymentIntentDto From(PaymentIntent i, string site, string bip21) => new(PaymentIntentDto.From(i, bip21), i, site);
}

/// <summary>One status change of an intent.</summary>
/// <param name="Alert">Set when the change is an alert (a confirmed payment reverted, money on a closed intent): the status did not move.</param>
public sealed record PaymentStatusChangeDto(PaymentStatus? From, PaymentStatus To, PaymentExceptionStatus Exception,
    PaymentAlertReason? Alert, string? Reason, string Actor, DateTime At);

/// <summary>An intent in finance's list.</summary>
public sealed record PaymentIntentSummary(Guid Id, PaymentStatus Status, PaymentExceptionStatus Exception, PaymentPurpose Purpose,
    string? PlanKey, long Amount, string Currency, long AmountSats, long ReceivedSats, string Address, string? CustomerReference,
    DateTime CreatedAt, DateTime ExpiresAt, DateTime? CompletedAt);
