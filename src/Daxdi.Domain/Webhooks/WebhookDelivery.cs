namespace Daxdi.Domain.Webhooks;

public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Pending,

    Succeeded,

    /// <summary>Every attempt of the schedule failed (or the subscription was disabled); only a manual redelivery sends it again.</summary>
    Failed,
}

/// <summary>
/// One event on its way to one subscription. Dispatchers claim an attempt with a conditional update on
/// <see cref="ClaimedUntil"/>, so two of them never send the same attempt; a claim that its dispatcher did not
/// finish (it died) expires and the attempt is claimed again.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    public WebhookDelivery(Guid subscriptionId, Guid siteId, Guid eventId, string eventType, DateTime now)
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero));
        SubscriptionId = subscriptionId;
        SiteId = siteId;
        EventId = eventId;
        EventType = eventType;
        Status = DeliveryStatus.Pending;
        NextAttemptAt = now;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid SubscriptionId { get; private set; }

    public Guid SiteId { get; private set; }

    /// <summary>The outbox event (<c>webhook-id</c>): the same on every attempt and every redelivery.</summary>
    public Guid EventId { get; private set; }

    public string EventType { get; private set; } = null!;

    public DeliveryStatus Status { get; private set; }

    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; private set; }

    public DateTime NextAttemptAt { get; private set; }

    /// <summary>Until when a dispatcher holds the current attempt; null when none does.</summary>
    public DateTime? ClaimedUntil { get; private set; }

    public DateTime? LastAttemptAt { get; private set; }

    public int? LastStatusCode { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>When it succeeded or failed for good; pruning counts its retention from here.</summary>
    public DateTime? CompletedAt { get; private set; }

    /// <summary>The attempt succeeded (a 2xx answer).</summary>
    public void Succeeded(int statusCode, DateTime now)
    {
        Finish(statusCode, now);
        Status = DeliveryStatus.Succeeded;
        CompletedAt = now;
    }

    /// <summary>
    /// The attempt failed. With <paramref name="retryAt"/> the delivery waits for that attempt; without, it has
    /// failed for good. Returns whether it failed for good.
    /// </summary>
    public bool AttemptFailed(int? statusCode, DateTime? retryAt, DateTime now)
    {
        Finish(statusCode, now);
        if (retryAt is { } next)
        {
            NextAttemptAt = next;
            return false;
        }

        Status = DeliveryStatus.Failed;
        CompletedAt = now;
        return true;
    }

    /// <summary>A manual redelivery: the delivery is pending again for an attempt now, with the same event id.</summary>
    public void Redeliver(DateTime now)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = now;
        CompletedAt = null;
        ClaimedUntil = null;
    }

    private void Finish(int? statusCode, DateTime now)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        ClaimedUntil = null;
    }
}
