using Daxdi.Application.Abstractions;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Payments;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Payments;

/// <summary>Mark an intent failed by hand (finance), with the exception <c>marked</c>.</summary>
public sealed record MarkPaymentIntentFailed(Guid Id, PaymentActionFields Body) : ICommand<AdminPaymentIntentDto>;

public sealed class MarkPaymentIntentFailedValidator : AbstractValidator<MarkPaymentIntentFailed>
{
    public MarkPaymentIntentFailedValidator() 
    {
        RuleFor(x => x.Body).NotNull();
        RuleFor(x => x.Body.Reason).NotEmpty().MaximumLength(PaymentRules.ReasonMaxLength).When(x => x.Body is not null);
    }
}

public sealed class MarkPaymentIntentFailedHandler(IDaxdiDbContext db, IPaymentUris uris, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<MarkPaymentIntentFailed, AdminPaymentIntentDto>
{
    public async ValueTask<AdminPaymentIntentDto> Handle(MarkPaymentIntentFailed command, CancellationToken cancellationToken)
    {
        var intent = await PaymentActions.LoadAsync(db, command.Id, cancellationToken);
        intent.MarkFailed(user.Actor(), command.Body.Reason!, clock.UtcNow());
        return await PaymentActions.AfterAsync(db, uris, intent, cancellationToken);
    }
}
