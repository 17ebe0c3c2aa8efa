using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Consent;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ConsentPolicies;

/// <summary>
/// Create a draft version of a site's cookie banner, numbered one past the site's highest version. Two creates that
/// race for a number meet at the unique index (site, number); the loser runs again and takes the next one.
/// </summary>
public sealed record CreateConsentPolicy(string Site, ConsentPolicyFields Body) : ICommand<ConsentPolicyDto>, IRetryableCommand;

public sealed class CreateConsentPolicyValidator : AbstractValidator<CreateConsentPolicy>
{
    public CreateConsentPolicyValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new ConsentPolicyFieldsValidator());
}

public sealed class CreateConsentPolicyHandler(IDaxdiDbContext db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<CreateConsentPolicy, ConsentPolicyDto>
{
    public async ValueTask<ConsentPolicyDto> Handle(CreateConsentPolicy command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var highest = await db.ConsentPolicies.Where(p => p.SiteId == site.Id).MaxAsync(p => (int?)p.Number, cancellationToken) ?? 0;
        var policy = new ConsentPolicy(site.Id, highest + 1, command.Body.ToContent(), user.Actor(), clock.UtcNow());
        db.ConsentPolicies.Add(policy);
        return ConsentPolicyDto.From(policy);
    }
}
