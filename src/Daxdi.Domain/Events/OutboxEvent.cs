namespace Daxdi.Domain.Events;

/// <summary>
/// One integration event, written by the commit pipeline in the transaction of the change that caused it (the
/// transactional outbox): it exists exactly when the change does. Immutable; <see cref="DispatchedAt"/> records when
/// the dispatcher handed it to the subscriptions that want it.
/// </summary>
public sealed class OutboxEvent
{
    private OutboxEvent()
    {
    }

    /// <param name="body">The event as receivers get it: UTF-8 JSON of <c>type</c>, <c>timestamp</c> and <c>data</c>.</param>
    public OutboxEvent(Guid siteId, string type, byte[] body, DateTime occurredAt)
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(occurredAt, TimeSpan.Zero));
        SiteId = siteId;
        Type = type;
        Body = body;
        OccurredAt = occurredAt;
    }

    /// <summary>Time-ordered; the <c>webhook-id</c> of every delivery of this event, so receivers can deduplicate.</summary>
    public Guid Id { get; private set; }

    public Guid SiteId { get; private set; }

    /// <summary>The catalogue name, e.g. <c>article.published</c>.</summary>
    public string Type { get; private set; } = null!;

    public byte[] Body { get; private set; } = null!;

    public DateTime OccurredAt { get; private set; }

    /// <summary>When the dispatcher fanned the event out to its subscriptions; null until then.</summary>
    public DateTime? DispatchedAt { get; private set; }

    /// <summary>
    /// The event has been handed to the subscriptions it is for, so the dispatcher does not fan it out (again). An
    /// event addressed to one subscription (a ping) is marked when it is written, with its one delivery beside it.
    /// </summary>
    public void MarkDispatched(DateTime now) => DispatchedAt ??= now;
}
