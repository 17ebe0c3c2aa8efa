using Daxdi.Domain.Payments;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Consent;

namespace Daxdi.Application.Events;

/// <summary>
/// The body of every delivery, as the Standard Webhooks spec has it: the event type, when it happened, and its data.
/// </summary>
/// <typeparam name="TData">The data type the catalogue gives for <see cref="Type"/>.</typeparam>
public sealed record EventEnvelope<TData>(string Type, DateTime Timestamp, TData Data);

/// <summary>The article as it stands after the change: enough to refresh its page and the lists it is on.</summary>
public sealed record ArticleEventData
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid Id { get; init; }

    /// <summary>The site's key.</summary>
    /// <example>daxdi</example>
    public required string Site { get; init; }

    /// <example>harbour-bridge-reopens</example>
    public required string Slug { get; init; }

    /// <summary>The slug it had before this change, when the change moved it (the old URL now redirects).</summary>
    /// <example>null</example>
    public required string? PreviousSlug { get; init; }

    /// <example>Harbour bridge reopens after six months of repairs</example>
    public required string Title { get; init; }

    /// <example>en</example>
    public required string Language { get; init; }

    /// <example>published</example>
    public required ArticleStatus Status { get; init; }

    /// <summary>The article's version after the change (its admin ETag).</summary>
    /// <example>2</example>
    public required int Version { get; init; }

    public required DateTime? PublishedAt { get; init; }
}

/// <summary>A recorded consent decision: what a tag manager or CRM needs to honour it, and nothing personal but the subject id.</summary>
public sealed record ConsentEventData
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid ConsentId { get; init; }

    /// <summary>The site's key.</summary>
    /// <example>daxdi</example>
    public required string Site { get; init; }

    /// <summary>The visitor's pseudonymous id.</summary>
    /// <example>sub_4fJd0b6QmT2xk9Zp1cVw3A</example>
    public required string SubjectId { get; init; }

    /// <example>1</example>
    public required int PolicyVersion { get; init; }

    /// <example>custom</example>
    public required ConsentDecisionKind Decision { get; init; }

    /// <summary>Every category of the policy and whether it is granted now.</summary>
    public required IReadOnlyDictionary<string, bool> Effective { get; init; }

    /// <summary>False for an implied decision ("Continue"), which is not consent.</summary>
    public required bool ValidForProcessing { get; init; }

    public required DateTime ExpiresAt { get; init; }
}

/// <summary>The data of the <c>paymentIntent.*</c> events: no client secret, no finance reason.</summary>
public sealed record PaymentIntentEventData
{
    public required Guid PaymentIntentId { get; init; }

    /// <summary>The site's key.</summary>
    /// <example>daxdi</example>
    public required string Site { get; init; }

    public required PaymentStatus Status { get; init; }

    /// <summary>The status before this change (the same as <see cref="Status"/> for an alert).</summary>
    public required PaymentStatus? PreviousStatus { get; init; }

    public required PaymentExceptionStatus Exception { get; init; }

    /// <summary>For <c>paymentIntent.alert</c>: what happened.</summary>
    public required PaymentAlertReason? Alert { get; init; }

    public required PaymentPurpose Purpose { get; init; }

    public required string? PlanKey { get; init; }

    public required Guid? ArticleId { get; init; }

    /// <summary>Who the entitlement is for, as the frontend named them.</summary>
    public required string? CustomerReference { get; init; }

    /// <summary>The price in minor units of <see cref="Currency"/>.</summary>
    public required long Amount { get; init; }

    public required string Currency { get; init; }

    public required long AmountSats { get; init; }

    public required long ReceivedSats { get; init; }

    /// <summary>The entitlement granted, on <c>paymentIntent.succeeded</c>.</summary>
    public required Guid? EntitlementId { get; init; }

    public required int Version { get; init; }
}

/// <summary>The data of <c>webhook.ping</c>.</summary>
public sealed record PingEventData
{
    /// <summary>The subscription that was pinged.</summary>
    public required Guid WebhookId { get; init; }
}
