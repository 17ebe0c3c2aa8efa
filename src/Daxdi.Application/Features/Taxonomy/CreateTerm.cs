using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Taxonomy;

/// <summary>Create an author, tag or section in a site.</summary>
public sealed record CreateTerm(string Site, TermKind Kind, TaxonomyFields Body) : ICommand<TaxonomyTermDto>, IRetryableCommand;

public sealed class CreateTermValidator : AbstractValidator<CreateTerm>
{
    public CreateTermValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new TaxonomyFieldsValidator());
}

public sealed class CreateTermHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<CreateTerm, TaxonomyTermDto>
{
    public async ValueTask<TaxonomyTermDto> Handle(CreateTerm command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.GetByKeyAsync(command.Site, cancellationToken);
        var f = command.Body;
        var taken = (await db.TaxonomyTerms.Where(t => t.SiteId == site.Id && t.Kind == command.Kind)
            .Select(t => t.Slug).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        string slug;
        if (f.Slug is null)
        {
            slug = Slugs.FirstFree(Slugs.From(f.Name, TaxonomyRules.SlugMaxLength), TaxonomyRules.SlugMaxLength, taken.Contains);
        }
        else
        {
            slug = taken.Contains(f.Slug) ? throw TermQueries.SlugTaken(command.Kind, f.Slug) : f.Slug;
        }

        var (description, avatarUrl) = TaxonomyFieldsValidator.Details(f);
        var term = new TaxonomyTerm(site.Id, command.Kind, slug, f.Name.Trim(), description, avatarUrl, clock.UtcNow());
        db.TaxonomyTerms.Add(term);
        return TaxonomyTermDto.From(term);
    }
}
