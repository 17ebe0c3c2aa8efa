using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>A site's webhook subscriptions, newest first (never their secrets).</summary>
public sealed record ListWebhooks(string Site, int Limit, string? Cursor) : IQuery<Page<WebhookDto>>;

public sealed class ListWebhooksValidator : AbstractValidator<ListWebhooks>
{
    public ListWebhooksValidator()
    {
        RuleFor(x => x.Limit).IsPageSize();
        RuleFor(x => x.Cursor).IsCursor(parts: 1, part: v => Guid.TryParse(v, out _));
    }
}

public sealed class ListWebhooksHandler(IDaxdiDbContext db, TimeProvider clock) : IQueryHandler<ListWebhooks, Page<WebhookDto>>
{
    public async ValueTask<Page<WebhookDto>> Handle(ListWebhooks query, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(query.Site, cancellationToken);
        var subscriptions = db.WebhookSubscriptions.AsNoTracking().Where(s => s.SiteId == site.Id);
        if (Cursor.TryDecode(query.Cursor, 1, out var after))
        {
            var lastId = Guid.Parse(after[0]);
            subscriptions = subscriptions.Where(s => s.Id.CompareTo(lastId) < 0);
        }

        var rows = await subscriptions.OrderByDescending(s => s.Id).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var now = clock.UtcNow();
        var items = rows.Take(query.Limit).Select(s => WebhookDto.From(s, now)).ToList();
        var next = rows.Count > query.Limit ? Cursor.Encode(items[^1].Id.ToString()) : null;
        return new Page<WebhookDto>(items, next);
    }
}
