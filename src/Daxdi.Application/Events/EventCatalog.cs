namespace Daxdi.Application.Events;

/// <summary>One kind of event integrators can subscribe to: its name, what it means, and the type of its <c>data</c>.</summary>
public sealed record EventType(string Name, string Summary, Type DataType);

/// <summary>
/// Every event type the API emits, in one place: subscriptions are validated against it, the OpenAPI document
/// describes each payload from it, and <c>docs/api/webhooks.md</c> lists the same names. A new kind of event is one
/// entry here and one translation in <see cref="IntegrationEvents"/>.
/// </summary>
public static class EventCatalog
{
    public const string ArticlePublished = "article.published";
    public const string ArticleUpdated = "article.updated";
    public const string ArticleUnpublished = "article.unpublished";
    public const string ArticleArchived = "article.archived";
    public const string ArticleDeleted = "article.deleted";
    public const string ConsentRecorded = "consent.recorded";
    public const string PaymentIntentPartiallyPaid = "paymentIntent.partiallyPaid";
    public const string PaymentIntentProcessing = "paymentIntent.processing";
    public const string PaymentIntentPaymentReverted = "paymentIntent.paymentReverted";
    public const string PaymentIntentSucceeded = "paymentIntent.succeeded";
    public const string PaymentIntentExpired = "paymentIntent.expired";
    public const string PaymentIntentPaidLate = "paymentIntent.paidLate";
    public const string PaymentIntentCanceled = "paymentIntent.canceled";
    public const string PaymentIntentFailed = "paymentIntent.failed";
    public const string PaymentIntentAlert = "paymentIntent.alert";
    public const string WebhookPing = "webhook.ping";

    public static IReadOnlyList<EventType> All { get; } =
    [
        new(ArticlePublished, "An article went live: published now, or its scheduled time came.", typeof(ArticleEventData)),
        new(ArticleUpdated, "A published article's public content changed (text, metadata, taxonomy, recommendations).", typeof(ArticleEventData)),
        new(ArticleUnpublished, "A published article went back to draft and left the public site.", typeof(ArticleEventData)),
        new(ArticleArchived, "A published article was archived and left the public site.", typeof(ArticleEventData)),
        new(ArticleDeleted, "An article was deleted, whatever its status.", typeof(ArticleEventData)),
        new(ConsentRecorded, "A visitor's cookie-banner decision was recorded (no personal data beyond the pseudonymous subject id).", typeof(ConsentEventData)),
        new(PaymentIntentPartiallyPaid, "Part of an intent's amount arrived; it still requires payment (exception underpaid).", typeof(PaymentIntentEventData)),
        new(PaymentIntentProcessing, "An intent's full amount was seen on the chain; it waits for confirmations.", typeof(PaymentIntentEventData)),
        new(PaymentIntentPaymentReverted, "A payment of a processing intent was replaced or reorged out; it requires payment again.", typeof(PaymentIntentEventData)),
        new(PaymentIntentSucceeded, "An intent's payment confirmed (or finance marked it settled); its entitlement is granted.", typeof(PaymentIntentEventData)),
        new(PaymentIntentExpired, "An intent expired without its full payment.", typeof(PaymentIntentEventData)),
        new(PaymentIntentPaidLate, "An expired intent was paid in full within the monitoring window; nothing was unlocked, finance decides.", typeof(PaymentIntentEventData)),
        new(PaymentIntentCanceled, "Finance canceled an intent nothing was paid to.", typeof(PaymentIntentEventData)),
        new(PaymentIntentFailed, "Finance marked an intent failed.", typeof(PaymentIntentEventData)),
        new(PaymentIntentAlert, "Something would revert a final intent (a confirmed payment reorged out, money on a closed intent): its status did not change; look at it.", typeof(PaymentIntentEventData)),
        new(WebhookPing, "A test event, sent on request to one subscription only.", typeof(PingEventData)),
    ];

    private static readonly Dictionary<string, EventType> ByName = All.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The event type with this exact name, or null.</summary>
    public static EventType? Find(string name) => ByName.GetValueOrDefault(name);
}
