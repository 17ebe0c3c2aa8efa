using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Domain.Common;
using Daxdi.Domain.Sites;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Sites;

/// <summary>Create a site.</summary>
public sealed record CreateSite : SiteFields, ICommand<SiteDto>
{
    /// <summary>Unique key in lowercase kebab case; used in public routes and cannot be changed later.</summary>
    /// <example>daxdi</example>
    public required string Key { get; init; }
}

public sealed class CreateSiteValidator : AbstractValidator<CreateSite>
{
    public CreateSiteValidator()
    {
        RuleFor(x => x.Key).NotEmpty().MaximumLength(SiteRules.KeyMaxLength).Matches(SiteRules.KeyPattern)
            .WithMessage("'key' must be lowercase letters, digits and single hyphens, e.g. 'daxdi' or 'city-news'.");
        Include(new SiteFieldsValidator());
    }
}

public sealed class CreateSiteHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<CreateSite, SiteDto>
{
    public async ValueTask<SiteDto> Handle(CreateSite command, CancellationToken cancellationToken)
    {
        if (await db.Sites.AnyAsync(s => s.Key == command.Key, cancellationToken))
        {
            throw DomainException.Conflict("site.key_taken", $"A site with key '{command.Key}' already exists.");
        }

        var site = new Site(command.Key, command.Name, command.Domain.ToLowerInvariant(), command.CorsOrigins,
            command.DefaultLanguage, clock.UtcNow());
        db.Sites.Add(site);
        return SiteDto.From(site);
    }
}
