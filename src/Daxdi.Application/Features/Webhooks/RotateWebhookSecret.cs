using System.ComponentModel.DataAnnotations;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Domain.Webhooks;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Webhooks;

/// <summary>
/// Give a subscription a new signing secret, returned in this answer only. The current one keeps signing (each delivery
/// carries both signatures) for <paramref name="OverlapHours"/>, by default <c>Webhooks:SecretOverlapHours</c>, so the
/// receiver can switch without missing a delivery; a secret older than that stops signing at once.
/// <paramref name="ExpectedVersion"/> comes from <c>If-Match</c> when sent.
/// </summary>
public sealed record RotateWebhookSecret(string Site, Guid Id, int? ExpectedVersion, int? OverlapHours) : ICommand<WebhookWithSecretDto>;

/// <summary>The optional body of <c>POST …/webhooks/{id}/rotate-secret</c>.</summary>
public sealed record RotateWebhookSecretBody
{
    /// <summary>How long the current secret keeps signing beside the new one, 0–720 hours (default <c>Webhooks:SecretOverlapHours</c>, 24).</summary>
    /// <example>24</example>
    [Range(0, WebhookRules.MaxSecretOverlapHours)]
    public int? OverlapHours { get; init; }
}

public sealed class RotateWebhookSecretValidator : AbstractValidator<RotateWebhookSecret>
{
    public RotateWebhookSecretValidator() =>
        RuleFor(x => x.OverlapHours).InclusiveBetween(0, WebhookRules.MaxSecretOverlapHours)
            .WithMessage($"'overlapHours' must be between 0 and {WebhookRules.MaxSecretOverlapHours}.");
}

public sealed class RotateWebhookSecretHandler(IDaxdiDbContext db, WebhookSettings settings, TimeProvider clock)
    : ICommandHandler<RotateWebhookSecret, WebhookWithSecretDto>
{
    public async ValueTask<WebhookWithSecretDto> Handle(RotateWebhookSecret command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.GetInSiteAsync(db.Sites, command.Site, command.Id, cancellationToken);
        subscription.EnsureVersion(command.ExpectedVersion);
        var now = clock.UtcNow();
        subscription.RotateSecret(WebhookSecret.Generate(), now.AddHours(command.OverlapHours ?? settings.SecretOverlapHours), now);
        return WebhookWithSecretDto.Create(subscription, now);
    }
}
