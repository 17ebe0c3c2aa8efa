using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using FluentValidation;
using Mediator;

namespace Daxdi.Application.Features.Sites;

/// <summary>Replace a site's editable fields. <paramref name="ExpectedVersion"/> comes from <c>If-Match</c> when sent.</summary>
public sealed record UpdateSite(string Key, int? ExpectedVersion, SiteFields Body) : ICommand<SiteDto>;

public sealed class UpdateSiteValidator : AbstractValidator<UpdateSite>
{
    public UpdateSiteValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new SiteFieldsValidator());
}

public sealed class UpdateSiteHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<UpdateSite, SiteDto>
{
    public async ValueTask<SiteDto> Handle(UpdateSite command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.GetByKeyAsync(command.Key, cancellationToken);
        site.EnsureVersion(command.ExpectedVersion);
        var f = command.Body;
        site.Update(f.Name, f.Domain.ToLowerInvariant(), f.CorsOrigins, f.DefaultLanguage, clock.UtcNow());
        return SiteDto.From(site);
    }
}
