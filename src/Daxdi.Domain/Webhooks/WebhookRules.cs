namespace Daxdi.Domain.Webhooks;

/// <summary>Limits of webhook subscriptions, shared by validation and the store schema.</summary>
public static class WebhookRules
{
    /// <summary>Room for an https URL of any reasonable length.</summary>
    public const int UrlMaxLength = 2048;

    public const int DescriptionMaxLength = 500;

    /// <summary>Event type names (<c>article.published</c>) are far shorter.</summary>
    public const int EventTypeMaxLength = 64;

    /// <summary>
    /// Subscriptions per site. Every event is sent once per subscription that wants it, so this bounds the fan-out of
    /// one change; a newsroom's integrations (search index, CDN purge, newsletter, chat) fit well within it.
    /// </summary>
    public const int MaxSubscriptionsPerSite = 20;

    /// <summary>The longest overlap after a secret rotation an admin may ask for: 30 days.</summary>
    public const int MaxSecretOverlapHours = 24 * 30;

    /// <summary>Attempts shown with one delivery, newest first (the retry schedule makes far fewer; redeliveries add more).</summary>
    public const int AttemptsShown = 50;
}
