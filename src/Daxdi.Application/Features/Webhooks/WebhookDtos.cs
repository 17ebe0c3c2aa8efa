using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Daxdi.Application.Common;
using Daxdi.Domain.Webhooks;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>A webhook subscription as admins read it: never its secrets.</summary>
public record WebhookDto : IVersioned
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid Id { get; init; }

    /// <summary>Where events are POSTed.</summary>
    /// <example>https://hooks.example/daxdi</example>
    public required string Url { get; init; }

    /// <summary>The event types sent to it, from the catalogue.</summary>
    /// <example>["article.published", "article.updated"]</example>
    public required IReadOnlyList<string> Events { get; init; }

    /// <example>Search index of the main site</example>
    public required string? Description { get; init; }

    /// <summary>Whether events are sent to it. The dispatcher disables a subscription after too many failed deliveries in a row.</summary>
    /// <example>true</example>
    public required bool Enabled { get; init; }

    /// <summary>Why the dispatcher disabled it; <c>null</c> while enabled and after an admin enabled it again.</summary>
    /// <example>null</example>
    public required string? DisabledReason { get; init; }

    /// <summary>When the dispatcher disabled it.</summary>
    /// <example>null</example>
    public required DateTime? DisabledAt { get; init; }

    /// <summary>Deliveries in a row that failed for good; a success resets it.</summary>
    /// <example>0</example>
    public required int ConsecutiveFailures { get; init; }

    /// <summary>
    /// After a secret rotation: until when the previous secret still signs every delivery (beside the new one).
    /// <c>null</c> when only the current secret signs.
    /// </summary>
    /// <example>null</example>
    public required DateTime? PreviousSecretExpiresAt { get; init; }

    /// <summary>Concurrency version; also the <c>ETag</c>.</summary>
    /// <example>1</example>
    public required int Version { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    internal static WebhookDto From(WebhookSubscription s, DateTime now) => new()
    {
        Id = s.Id, Url = s.Url, Events = s.EventTypes, Description = s.Description, Enabled = s.Enabled,
        DisabledReason = s.DisabledReason, DisabledAt = s.DisabledAt, ConsecutiveFailures = s.ConsecutiveFailures,
        PreviousSecretExpiresAt = s.SigningSecrets(now).Count > 1 ? s.PreviousSecretExpiresAt : null,
        Version = s.Version, CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt,
    };
}

/// <summary>A subscription with its new signing secret: the answer to creating it and to rotating its secret, and the only time the secret is shown.</summary>
public sealed record WebhookWithSecretDto : WebhookDto
{
    [SetsRequiredMembers]
    private WebhookWithSecretDto(WebhookDto subscription, string secret)
        : base(subscription) => Secret = secret;

    /// <summary>
    /// The signing secret (Standard Webhooks: <c>whsec_</c> and the base64 of 32 bytes). Keep it now: it is not shown
    /// again. Verify each delivery's <c>webhook-signature</c> with it.
    /// </summary>
    /// <example>whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6dGbAqu8Xk0=</example>
    [JsonPropertyOrder(1)]
    public required string Secret { get; init; }

    internal static WebhookWithSecretDto Create(WebhookSubscription s, DateTime now) => new(From(s, now), s.Secret);
}

/// <summary>One event on its way to one subscription, as the delivery log shows it.</summary>
public record WebhookDeliveryDto
{
    /// <example>01936b2e-8d2f-7a10-b3c4-5d6e7f8091a2</example>
    public required Guid Id { get; init; }

    /// <summary>The event's id, sent as <c>webhook-id</c>: the same on every attempt and redelivery, so receivers can deduplicate.</summary>
    /// <example>01936b2e-8d2e-7c55-9a01-23456789abcd</example>
    public required Guid EventId { get; init; }

    /// <example>article.published</example>
    public required string EventType { get; init; }

    /// <example>pending</example>
    public required DeliveryStatus Status { get; init; }

    /// <summary>HTTP attempts made so far.</summary>
    /// <example>0</example>
    public required int Attempts { get; init; }

    /// <summary>When the next attempt is due; <c>null</c> unless the delivery is pending.</summary>
    public required DateTime? NextAttemptAt { get; init; }

    /// <example>null</example>
    public required DateTime? LastAttemptAt { get; init; }

    /// <summary>The receiver's status code on the last attempt; <c>null</c> before the first, or when no answer came.</summary>
    /// <example>null</example>
    public required int? LastStatusCode { get; init; }

    public required DateTime CreatedAt { get; init; }

    /// <summary>When it succeeded or failed for good.</summary>
    /// <example>null</example>
    public required DateTime? CompletedAt { get; init; }

    internal static WebhookDeliveryDto From(WebhookDelivery d) => new()
    {
        Id = d.Id, EventId = d.EventId, EventType = d.EventType, Status = d.Status, Attempts = d.Attempts,
        NextAttemptAt = d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, LastAttemptAt = d.LastAttemptAt,
        LastStatusCode = d.LastStatusCode, CreatedAt = d.CreatedAt, CompletedAt = d.CompletedAt,
    };
}

/// <summary>A delivery with its HTTP attempts.</summary>
public sealed record WebhookDeliveryDetailDto : WebhookDeliveryDto
{
    [SetsRequiredMembers]
    private WebhookDeliveryDetailDto(WebhookDeliveryDto delivery, IReadOnlyList<WebhookAttemptDto> attemptLog)
        : base(delivery) => AttemptLog = attemptLog;

    /// <summary>Its attempts, newest first (at most the last 50).</summary>
    [JsonPropertyOrder(1)]
    public required IReadOnlyList<WebhookAttemptDto> AttemptLog { get; init; }

    internal static WebhookDeliveryDetailDto From(WebhookDelivery d, IReadOnlyList<WebhookAttemptDto> attempts) => new(WebhookDeliveryDto.From(d), attempts);
}

/// <summary>One HTTP attempt of a delivery.</summary>
public sealed record WebhookAttemptDto
{
    /// <summary>1 for the first attempt of the delivery.</summary>
    /// <example>1</example>
    public required int Number { get; init; }

    public required DateTime StartedAt { get; init; }

    /// <example>182</example>
    public required int DurationMs { get; init; }

    /// <summary>The receiver's status code; <c>null</c> when no answer came (timeout, refused connection, refused address).</summary>
    /// <example>200</example>
    public required int? StatusCode { get; init; }

    /// <summary>The start of the receiver's answer (at most 1,024 characters).</summary>
    /// <example>ok</example>
    public required string? ResponseBody { get; init; }

    /// <summary>What went wrong when no answer came.</summary>
    /// <example>null</example>
    public required string? Error { get; init; }
}
