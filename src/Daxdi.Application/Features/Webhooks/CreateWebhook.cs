using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Common;
using Daxdi.Domain.Webhooks;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Subscribe a URL to events of a site. The server generates the signing secret and returns it in this answer only.
/// A site has at most <see cref="WebhookRules.MaxSubscriptionsPerSite"/> subscriptions (409 <c>webhook.limit_reached</c>).
/// </summary>
public sealed record CreateWebhook(string Site, WebhookFields Body) : ICommand<WebhookWithSecretDto>;

public sealed class CreateWebhookValidator : AbstractValidator<CreateWebhook>
{
    public CreateWebhookValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new WebhookFieldsValidator());
}

public sealed class CreateWebhookHandler(IDaxdiDbContext db, IWebhookTargets targets, CommitPipeline commit, TimeProvider clock)
    : ICommandHandler<CreateWebhook, WebhookWithSecretDto>
{
    public async ValueTask<WebhookWithSecretDto> Handle(CreateWebhook command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var f = command.Body;
        await WebhookFieldsValidator.CheckAsync(f, targets, checkUrl: true, cancellationToken);

        // Counted in the commit's transaction with the site's row locked, so two creates at the limit cannot both pass.
        var siteId = site.Id;
        commit.InTransaction(async ct =>
        {
            await db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(set => set.SetProperty(s => s.Version, s => s.Version), ct);
            if (await db.WebhookSubscriptions.CountAsync(s => s.SiteId == siteId, ct) >= WebhookRules.MaxSubscriptionsPerSite)
            {
                throw DomainException.Conflict("webhook.limit_reached",
                    $"The site has {WebhookRules.MaxSubscriptionsPerSite} webhook subscriptions, the most it may have. Delete one first.");
            }
        });

        var now = clock.UtcNow();
        var subscription = new WebhookSubscription(site.Id, f.Url, f.Events, f.Description, WebhookSecret.Generate(), now, f.Enabled);

        db.WebhookSubscriptions.Add(subscription);
        return WebhookWithSecretDto.Create(subscription, now);
    }
}
