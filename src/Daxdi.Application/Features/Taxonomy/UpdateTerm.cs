using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Sites;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.Taxonomy;

/// <summary>
/// Replace an author, tag or section (rename, new slug, bio). Articles refer to terms by id, so they follow.
/// <paramref name="ExpectedVersion"/> comes from <c>If-Match</c> when sent.
/// </summary>
public sealed record UpdateTerm(string Site, TermKind Kind, string Slug, int? ExpectedVersion, TaxonomyFields Body)
    : ICommand<TaxonomyTermDto>;

public sealed class UpdateTermValidator : AbstractValidator<UpdateTerm>
{
    public UpdateTermValidator() => RuleFor(x => x.Body).NotNull().SetValidator(new TaxonomyFieldsValidator());
}

public sealed class UpdateTermHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<UpdateTerm, TaxonomyTermDto>
{
    public async ValueTask<TaxonomyTermDto> Handle(UpdateTerm command, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().GetByKeyAsync(command.Site, cancellationToken);
        var term = await db.TaxonomyTerms.GetBySlugAsync(site.Id, command.Kind, command.Slug, cancellationToken);
        term.EnsureVersion(command.ExpectedVersion);
        var f = command.Body;
        var slug = f.Slug ?? term.Slug;
        if (slug != term.Slug && await db.TaxonomyTerms.AnyAsync(
                t => t.SiteId == site.Id && t.Kind == command.Kind && t.Slug == slug, cancellationToken))
        {
            throw TermQueries.SlugTaken(command.Kind, slug);
        }

        var (description, avatarUrl) = TaxonomyFieldsValidator.Details(f);
        term.Update(slug, f.Name.Trim(), description, avatarUrl, clock.UtcNow());
        return TaxonomyTermDto.From(term);
    }
}
