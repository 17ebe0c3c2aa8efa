using System.Globalization;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Webhooks;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>The delivery log of a subscription, newest first, optionally only one status or event type.</summary>
/// <param name="Status">A status name (<c>pending</c>, <c>succeeded</c>, <c>failed</c>), or null for all.</param>
public sealed record ListWebhookDeliveries(string Site, Guid Id, string? Status, string? EventType, int Limit, string? Cursor)
    : IQuery<Page<WebhookDeliveryDto>>;

public sealed class ListWebhookDeliveriesValidator : AbstractValidator<ListWebhookDeliveries>
{
    public ListWebhookDeliveriesValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null || EnumNames.Parse<DeliveryStatus>(s) is not null)
            .WithMessage("'status' must be one of: pending, succeeded, failed.");
        RuleFor(x => x.EventType).MaximumLength(WebhookRules.EventTypeMaxLength);
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 2)
            .Must(c => c is null || TryDecodeCursor(c, out _, out _))
            .WithMessage("'cursor' is not valid: pass the nextCursor value of a previous page unchanged.");
    }

    /// <summary>The position after which the next page starts: the last item's creation time (ticks) and id.</summary>
    internal static string EncodeCursor(WebhookDeliveryDto last) =>
        Cursor.Encode(last.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture), last.Id.ToString());

    internal static bool TryDecodeCursor(string? cursor, out DateTime createdAt, out Guid id)
    {
        createdAt = default;
        id = default;
        if (!Cursor.TryDecode(cursor, 2, out var values)
            || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks
            || !Guid.TryParse(values[1], out id))
        {
            return false;
        }

        createdAt = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }
}

public sealed class ListWebhookDeliveriesHandler(IDaxdiDbContext db) : IQueryHandler<ListWebhookDeliveries, Page<WebhookDeliveryDto>>
{
    public async ValueTask<Page<WebhookDeliveryDto>> Handle(ListWebhookDeliveries query, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().GetInSiteAsync(db.Sites, query.Site, query.Id, cancellationToken);
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscription.Id);
        if (EnumNames.Parse<DeliveryStatus>(query.Status) is { } status)
        {
            deliveries = deliveries.Where(d => d.Status == status);
        }

        if (query.EventType is { } eventType)
        {
            deliveries = deliveries.Where(d => d.EventType == eventType);
        }

        // Newest first along the (subscription, created) index; the id breaks ties within a millisecond.
        if (ListWebhookDeliveriesValidator.TryDecodeCursor(query.Cursor, out var createdAt, out var lastId))
        {
            deliveries = deliveries.Where(d => d.CreatedAt < createdAt || (d.CreatedAt == createdAt && d.Id.CompareTo(lastId) < 0));
        }

        var rows = await deliveries.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(query.Limit + 1)
            .ToListAsync(cancellationToken);
        var items = rows.Take(query.Limit).Select(WebhookDeliveryDto.From).ToList();
        var next = rows.Count > query.Limit ? ListWebhookDeliveriesValidator.EncodeCursor(items[^1]) : null;
        return new Page<WebhookDeliveryDto>(items, next);
    }
}
