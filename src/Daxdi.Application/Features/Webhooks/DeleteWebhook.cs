using Daxdi.Application.Abstractions;
using Mediator;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Delete a subscription; its deliveries and their attempts go with it (the store cascades), so nothing more is sent
/// to it. <paramref name="ExpectedVersion"/> comes from <c>If-Match</c> when sent.
/// </summary>
public sealed record DeleteWebhook(string Site, Guid Id, int? ExpectedVersion) : ICommand;

public sealed class DeleteWebhookHandler(IDaxdiDbContext db) : ICommandHandler<DeleteWebhook>
{
    public async ValueTask<Unit> Handle(DeleteWebhook command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.GetInSiteAsync(db.Sites, command.Site, command.Id, cancellationToken);
        subscription.EnsureVersion(command.ExpectedVersion);
        db.WebhookSubscriptions.Remove(subscription);
        return Unit.Value;
    }
}
