using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles;
using Daxdi.Domain.Taxonomy;
using FluentValidation;

namespace Daxdi.Application.Features.Taxonomy;

/// <summary>What every taxonomy term has: a name and a slug.</summary>
public abstract record TaxonomyFields
{
    /// <example>Jane Doe</example>
    public required string Name { get; init; }

    /// <summary>Lowercase kebab slug, unique per kind in the site. <c>null</c>: generated from the name on create, kept on update.</summary>
    /// <example>null</example>
    public string? Slug { get; init; }
}

/// <summary>An author profile: the body of <c>POST/PUT …/authors</c>.</summary>
public sealed record AuthorFields : TaxonomyFields
{
    /// <example>Covers transport and city hall.</example>
    public string? Bio { get; init; }

    /// <example>https://cdn.daxdi.example/avatars/jane-doe.jpg</example>
    public string? AvatarUrl { get; init; }
}

/// <summary>A tag or a section: the body of <c>POST/PUT …/tags</c> and <c>…/sections</c>.</summary>
public sealed record TermFields : TaxonomyFields
{
    /// <example>Roads, rail, ferries and the people who run them.</example>
    public string? Description { get; init; }
}

public sealed class TaxonomyFieldsValidator : AbstractValidator<TaxonomyFields>
{
    public TaxonomyFieldsValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(TaxonomyRules.NameMaxLength).SingleLine();
        RuleFor(x => x.Slug!).MaximumLength(TaxonomyRules.SlugMaxLength).IsSlug().When(x => x.Slug is not null);
        When(x => x is AuthorFields, () =>
        {
            RuleFor(x => ((AuthorFields)x).Bio).MaximumLength(TaxonomyRules.DescriptionMaxLength).OverridePropertyName("bio");
            RuleFor(x => ((AuthorFields)x).AvatarUrl!).IsWebUrl().OverridePropertyName("avatarUrl")
                .When(x => ((AuthorFields)x).AvatarUrl is not null);
        });
        When(x => x is TermFields, () =>
            RuleFor(x => ((TermFields)x).Description).MaximumLength(TaxonomyRules.DescriptionMaxLength).OverridePropertyName("description"));
    }

    /// <summary>The stored shape: an author's bio is the term's description.</summary>
    internal static (string? Description, string? AvatarUrl) Details(TaxonomyFields fields) => fields switch
    {
        AuthorFields a => (a.Bio, a.AvatarUrl),
        TermFields t => (t.Description, null),
        _ => (null, null),
    };
}
