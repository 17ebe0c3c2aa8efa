using Daxdi.Domain.Common;

namespace Daxdi.Domain.Webhooks;

/// <summary>
/// A site's subscription to events: where to send them, which types, and the secrets that sign them. After a secret
/// rotation the previous secret keeps signing (every delivery carries both signatures) until its overlap ends, so a
/// receiver can switch without missing a delivery.
/// </summary>
public sealed class WebhookSubscription : Entity
{
    private List<string> _eventTypes = [];

    private WebhookSubscription()
    {
    }

    public WebhookSubscription(Guid siteId, string url, IReadOnlyList<string> eventTypes, string? description, string secret, DateTime now,
        bool enabled = true)
        : base(now)
    {
        SiteId = siteId;
        Secret = secret;
        Enabled = enabled;
        Set(url, eventTypes, description);
    }

    public Guid SiteId { get; private set; }

    public string Url { get; private set; } = null!;

    /// <summary>Event type names from the catalogue, in the order given.</summary>
    public IReadOnlyList<string> EventTypes => _eventTypes;

    public string? Description { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>The current signing secret (<c>whsec_…</c>); shown once, when created or rotated.</summary>
    public string Secret { get; private set; } = null!;

    /// <summary>The secret before the last rotation, still signing until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; private set; }

    public DateTime? PreviousSecretExpiresAt { get; private set; }

    /// <summary>Deliveries in a row that ended failed; reset by any success.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Why the subscription was disabled, when the dispatcher disabled it (an admin can see and re-enable).</summary>
    public string? DisabledReason { get; private set; }

    public DateTime? DisabledAt { get; private set; }

    public bool Wants(string eventType) => Enabled && _eventTypes.Contains(eventType);

    /// <summary>The secrets that sign a delivery sent at <paramref name="now"/>: the current one, then the previous one during its overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTime now) =>
        PreviousSecret is not null && PreviousSecretExpiresAt > now ? [Secret, PreviousSecret] : [Secret];

    /// <summary>Replaces what an admin may edit. Enabling again clears the reason it was disabled and the failure run.</summary>
    public void Update(string url, IReadOnlyList<string> eventTypes, string? description, bool enabled, DateTime now)
    {
        Set(url, eventTypes, description);
        if (enabled && !Enabled)
        {
            ConsecutiveFailures = 0;
            DisabledReason = null;
            DisabledAt = null;
        }

        Enabled = enabled;
        Touch(now);
    }

    /// <summary>A new current secret; the old one keeps signing until <paramref name="overlapUntil"/>.</summary>
    public void RotateSecret(string newSecret, DateTime overlapUntil, DateTime now)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = overlapUntil;
        Secret = newSecret;
        Touch(now);
    }

    /// <summary>A delivery succeeded: the failure run ends.</summary>
    public void RecordSuccess() => ConsecutiveFailures = 0;

    /// <summary>
    /// A delivery ended failed (all its attempts spent). After <paramref name="disableAfter"/> in a row the subscription
    /// is disabled with <paramref name="reason"/>; returns whether this call disabled it.
    /// </summary>
    public bool RecordFailure(int disableAfter, string reason, DateTime now)
    {
        ConsecutiveFailures++;
        if (!Enabled || ConsecutiveFailures < disableAfter)
        {
            return false;
        }

        Enabled = false;
        DisabledReason = reason;
        DisabledAt = now;
        Touch(now);
        return true;
    }

    private void Set(string url, IReadOnlyList<string> eventTypes, string? description)
    {
        Url = url;
        _eventTypes = [.. eventTypes.Distinct(StringComparer.Ordinal)];
        Description = description;
    }
}
