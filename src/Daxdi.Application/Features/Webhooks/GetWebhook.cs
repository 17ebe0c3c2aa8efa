using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>Read one webhook subscription of a site (never its secrets).</summary>
public sealed record GetWebhook(string Site, Guid Id) : IQuery<WebhookDto>;

public sealed class GetWebhookHandler(IDaxdiDbContext db, TimeProvider clock) : IQueryHandler<GetWebhook, WebhookDto>
{
    public async ValueTask<WebhookDto> Handle(GetWebhook query, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().GetInSiteAsync(db.Sites, query.Site, query.Id, cancellationToken);
        return WebhookDto.From(subscription, clock.UtcNow());
    }
}
