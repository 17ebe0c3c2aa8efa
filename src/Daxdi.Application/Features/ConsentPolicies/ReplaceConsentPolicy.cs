using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>Replace a draft's content. A published version never changes (422 <c>consent_policy.published</c>).</summary>
public sealed record ReplaceConsentPolicy(string Site, int Number, int ExpectedVersion, ConsentPolicyFields Body) : ICommand<ConsentPolicyDto>;

public sealed class ReplaceConsentPolicyValidator : AbstractValidator<ReplaceConsentPolicy>
{
    public ReplaceConsentPolicyValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new ConsentPolicyFieldsValidator());
}

public sealed class ReplaceConsentPolicyHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<ReplaceConsentPolicy, ConsentPolicyDto>
{
    public async ValueTask<ConsentPolicyDto> Handle(ReplaceConsentPolicy command, CancellationToken cancellationToken)
    {
        var policy = await db.ConsentPolicies.GetInSiteAsync(db.Sites, command.Site, command.Number, cancellationToken);
        policy.EnsureVersion(command.ExpectedVersion);
        policy.Replace(command.Body.ToContent(), user.Actor(), clock.UtcNow());
        return ConsentPolicyDto.From(policy);
    }
}
