using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Webhooks;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Subscribe a URL to events of a site. The server generates the signing secret and returns it in this answer only.
/// A site has at most <see cref="WebhookRules.MaxSubscriptionsPerSite"/> subscriptions (409 <c>webhook.limit_reached</c>,
/// held by <see cref="WebhookLimitParticipant"/>).
/// </summary>
public sealed record CreateWebhook(string Site, WebhookFields Body) : ICommand<WebhookWithSecretDto>;

public sealed class CreateWebhookValidator : AbstractValidator<CreateWebhook>
{
    public CreateWebhookValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new WebhookFieldsValidator());
}

public sealed class CreateWebhookHandler(IDaxdiDbContext db, IWebhookTargets targets, TimeProvider clock)
    : ICommandHandler<CreateWebhook, WebhookWithSecretDto>
{
    public async ValueTask<WebhookWithSecretDto> Handle(CreateWebhook command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var f = command.Body;
        await WebhookFieldsValidator.CheckAsync(f, targets, checkUrl: true, cancellationToken);

        var now = clock.UtcNow();
        var subscription = new WebhookSubscription(site.Id, f.Url, f.Events, f.Description, WebhookSecret.Generate(), now, f.Enabled);
        db.WebhookSubscriptions.Add(subscription);
        return WebhookWithSecretDto.Create(subscription, now);
    }
}
