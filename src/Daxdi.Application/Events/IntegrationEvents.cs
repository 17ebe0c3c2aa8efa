using Daxdi.Application.Abstractions;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Daxdi.Domain.Consent;
using Daxdi.Domain.Events;
using Daxdi.Domain.Payments;

namespace Daxdi.Application.Events;

/// <summary>Turns domain events into outbox rows: the one translation from what the domain raised to what integrators get.</summary>
public sealed class IntegrationEvents(IPublicJson json)
{
    /// <summary>The outbox row for <paramref name="domainEvent"/>, or null when integrators do not hear of it.</summary>
    /// <param name="siteKeys">The keys of the sites the events belong to.</param>
    public OutboxEvent? From(IDomainEvent domainEvent, IReadOnlyDictionary<Guid, string> siteKeys) => domainEvent switch
    {
        ArticleChanged e => Create(e.SiteId, TypeOf(e.Kind), e.OccurredAt, new ArticleEventData
        {
            Id = e.ArticleId, Site = siteKeys[e.SiteId], Slug = e.Slug, PreviousSlug = e.PreviousSlug, Title = e.Title,
            Language = e.Language, Status = e.Status, Version = e.Version, PublishedAt = e.PublishedAt,
        }),
        ConsentRecorded e => Create(e.SiteId, EventCatalog.ConsentRecorded, e.RecordedAt, new ConsentEventData
        {
            ConsentId = e.ConsentId, Site = siteKeys[e.SiteId], SubjectId = e.SubjectId, PolicyVersion = e.PolicyVersion,
            Decision = e.Decision, Effective = e.Effective, ValidForProcessing = e.ValidForProcessing, ExpiresAt = e.ExpiresAt,
        }),
        PaymentIntentChanged e when TypeOf(e.Kind) is { } type => Create(e.SiteId, type, e.OccurredAt, new PaymentIntentEventData
        {
            PaymentIntentId = e.PaymentIntentId, Site = siteKeys[e.SiteId], Status = e.Status, PreviousStatus = e.PreviousStatus,
            Exception = e.Exception, Alert = e.Alert, Purpose = e.Purpose, PlanKey = e.PlanKey, ArticleId = e.ArticleId,
            CustomerReference = e.CustomerReference, Amount = e.Amount, Currency = e.Currency, AmountSats = e.AmountSats,
            ReceivedSats = e.ReceivedSats, EntitlementId = e.EntitlementId, Version = e.Version,
        }),
        _ => null,
    };

    /// <summary>
    /// The site of each event that becomes an outbox row, so the keys can be looked up in one query; null for one that
    /// does not. An intent's creation is not announced, and looking up its site's key anyway cost a query per intent
    /// inside the site's lock (docs/performance.md, payment intents).
    /// </summary>
    public static Guid? SiteOf(IDomainEvent domainEvent) => domainEvent switch
    {
        ArticleChanged e => e.SiteId,
        ConsentRecorded e => e.SiteId,
        PaymentIntentChanged e when TypeOf(e.Kind) is not null => e.SiteId,
        _ => null,
    };

    /// <summary>An event outside any aggregate's change (a ping), with its body.</summary>
    public OutboxEvent Create<TData>(Guid siteId, string type, DateTime occurredAt, TData data)
    {
        var body = json.Serialize(new EventEnvelope<TData>(type, occurredAt, data), typeof(EventEnvelope<TData>));
        return new OutboxEvent(siteId, type, body, occurredAt);
    }

    /// <summary>The webhook type of an intent's change; none for its creation (the frontend that created it knows).</summary>
    private static string? TypeOf(PaymentIntentEventKind kind) => kind switch
    {
        PaymentIntentEventKind.PartiallyPaid => EventCatalog.PaymentIntentPartiallyPaid,
        PaymentIntentEventKind.Processing => EventCatalog.PaymentIntentProcessing,
        PaymentIntentEventKind.PaymentReverted => EventCatalog.PaymentIntentPaymentReverted,
        PaymentIntentEventKind.Succeeded => EventCatalog.PaymentIntentSucceeded,
        PaymentIntentEventKind.Expired => EventCatalog.PaymentIntentExpired,
        PaymentIntentEventKind.PaidLate => EventCatalog.PaymentIntentPaidLate,
        PaymentIntentEventKind.Canceled => EventCatalog.PaymentIntentCanceled,
        PaymentIntentEventKind.Failed => EventCatalog.PaymentIntentFailed,
        PaymentIntentEventKind.Alert => EventCatalog.PaymentIntentAlert,
        _ => null,
    };

    private static string TypeOf(ArticleEventKind kind) => kind switch
    {
        ArticleEventKind.Published => EventCatalog.ArticlePublished,
        ArticleEventKind.Updated => EventCatalog.ArticleUpdated,
        ArticleEventKind.Unpublished => EventCatalog.ArticleUnpublished,
        ArticleEventKind.Archived => EventCatalog.ArticleArchived,
        ArticleEventKind.Deleted => EventCatalog.ArticleDeleted,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
