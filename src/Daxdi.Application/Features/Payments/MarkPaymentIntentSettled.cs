using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Payments;

/// <summary>Mark an intent settled by hand (finance): it succeeds with the exception <c>marked</c> and its entitlement is granted.</summary>
public sealed record MarkPaymentIntentSettled(Guid Id, PaymentActionFields Body) : ICommand<AdminPaymentIntentDto>;

public sealed class MarkPaymentIntentSettledValidator : AbstractValidator<MarkPaymentIntentSettled>
{
    public MarkPaymentIntentSettledValidator() 
    {
        RuleFor(x => x.Body).NotNull();
        RuleFor(x => x.Body.Reason).NotEmpty().MaximumLength(PaymentRules.ReasonMaxLength).When(x => x.Body is not null);
    }
}

public sealed class MarkPaymentIntentSettledHandler(IDaxdiDbContext db, IPaymentUris uris, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<MarkPaymentIntentSettled, AdminPaymentIntentDto>
{
    public async ValueTask<AdminPaymentIntentDto> Handle(MarkPaymentIntentSettled command, CancellationToken cancellationToken)
    {
        var intent = await PaymentActions.LoadAsync(db, command.Id, cancellationToken);
        intent.MarkSettled(user.Actor(), command.Body.Reason!, clock.UtcNow());
        return await PaymentActions.AfterAsync(db, uris, intent, cancellationToken);
    }
}
