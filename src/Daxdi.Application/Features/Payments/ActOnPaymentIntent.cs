using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Payments;

/// <summary>What finance does to an intent by hand.</summary>
public enum PaymentAction
{
    /// <summary>Cancel an intent nothing was paid to; 409 once anything was received.</summary>
    Cancel,

    /// <summary>Settle it: it succeeds with the exception <c>marked</c> and its entitlement is granted.</summary>
    MarkSettled,

    /// <summary>Fail it, with the exception <c>marked</c>.</summary>
    MarkFailed,
}

/// <summary>Finance acts on an intent by hand; the action, its reason and who took it go into the status history.</summary>
/// <remarks>A reason is required to mark an intent settled or failed, optional to cancel one.</remarks>
public sealed record ActOnPaymentIntent(Guid Id, PaymentAction Action, PaymentActionFields Body) : ICommand<AdminPaymentIntentDto>;

public sealed class ActOnPaymentIntentValidator : AbstractValidator<ActOnPaymentIntent>
{
    public ActOnPaymentIntentValidator()
    {
        RuleFor(x => x.Body).NotNull();
        RuleFor(x => x.Body.Reason).NotEmpty().When(x => x.Body is not null && x.Action != PaymentAction.Cancel);
        RuleFor(x => x.Body.Reason).MaximumLength(PaymentRules.ReasonMaxLength).When(x => x.Body is not null);
    }
}

public sealed class ActOnPaymentIntentHandler(IDaxdiDbContext db, IPaymentUris uris, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<ActOnPaymentIntent, AdminPaymentIntentDto>
{
    public async ValueTask<AdminPaymentIntentDto> Handle(ActOnPaymentIntent command, CancellationToken cancellationToken)
    {
        var intent = await PaymentActions.LoadAsync(db, command.Id, cancellationToken);
        var (actor, reason, now) = (user.Actor(), command.Body.Reason, clock.UtcNow());
        switch (command.Action)
        {
            case PaymentAction.Cancel:
                intent.Cancel(actor, reason, now);
                break;
            case PaymentAction.MarkSettled:
                intent.MarkSettled(actor, reason!, now);
                break;
            default:
                intent.MarkFailed(actor, reason!, now);
                break;
        }

        return await PaymentActions.AfterAsync(db, uris, intent, cancellationToken);
    }
}
