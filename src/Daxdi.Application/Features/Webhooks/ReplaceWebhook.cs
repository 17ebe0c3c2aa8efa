using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Replace what an admin sets on a subscription. The SSRF guard checks the URL again when it changes or the
/// subscription is enabled again; disabling it or editing its description works whatever its host resolves to today
/// (the dispatcher checks the address of every send anyway). <paramref name="ExpectedVersion"/> comes from <c>If-Match</c> when sent.
/// </summary>
public sealed record ReplaceWebhook(string Site, Guid Id, int? ExpectedVersion, WebhookFields Body) : ICommand<WebhookDto>;

public sealed class ReplaceWebhookValidator : AbstractValidator<ReplaceWebhook>
{
    public ReplaceWebhookValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new WebhookFieldsValidator());
}

public sealed class ReplaceWebhookHandler(IDaxdiDbContext db, IWebhookTargets targets, TimeProvider clock)
    : ICommandHandler<ReplaceWebhook, WebhookDto>
{
    public async ValueTask<WebhookDto> Handle(ReplaceWebhook command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.GetInSiteAsync(db.Sites, command.Site, command.Id, cancellationToken);
        subscription.EnsureVersion(command.ExpectedVersion);
        var f = command.Body;
        var checkUrl = f.Url != subscription.Url || (f.Enabled && !subscription.Enabled);
        await WebhookFieldsValidator.CheckAsync(f, targets, checkUrl, cancellationToken);

        var now = clock.UtcNow();
        subscription.Update(f.Url, f.Events, f.Description, f.Enabled, now);
        return WebhookDto.From(subscription, now);
    }
}
