using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Payments;

/// <summary>Cancel an intent nothing was paid to (finance); 409 once anything was received.</summary>
public sealed record CancelPaymentIntent(Guid Id, PaymentActionFields Body) : ICommand<AdminPaymentIntentDto>;

public sealed class CancelPaymentIntentValidator : AbstractValidator<CancelPaymentIntent>
{
    public CancelPaymentIntentValidator() 
    {
        RuleFor(x => x.Body).NotNull();
        RuleFor(x => x.Body.Reason).MaximumLength(PaymentRules.ReasonMaxLength).When(x => x.Body is not null);
    }
}

public sealed class CancelPaymentIntentHandler(IDaxdiDbContext db, IPaymentUris uris, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<CancelPaymentIntent, AdminPaymentIntentDto>
{
    public async ValueTask<AdminPaymentIntentDto> Handle(CancelPaymentIntent command, CancellationToken cancellationToken)
    {
        var intent = await PaymentActions.LoadAsync(db, command.Id, cancellationToken);
        intent.Cancel(user.Actor(), command.Body.Reason, clock.UtcNow());
        return await PaymentActions.AfterAsync(db, uris, intent, cancellationToken);
    }
}
