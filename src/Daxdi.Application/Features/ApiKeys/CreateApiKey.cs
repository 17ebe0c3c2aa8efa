using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Security;
using Daxdi.Domain.Security;
using Daxdi.Domain.Common;
using Daxdi.Domain.Sites;
using Daxdi.Domain.Taxonomy;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Daxdi.Application.Features.ApiKeys;

/// <summary>Create an API key. The secret is returned once, in the response to this request.</summary>
public sealed record CreateApiKey : ICommand<CreatedApiKey>
{
    /// <summary>What the key is for (shown in lists and audit).</summary>
    /// <example>ci</example>
    public required string Name { get; init; }

    /// <summary>The one role the key carries.</summary>
    /// <example>editor</example>
    public required ApiRole Role { get; init; }

    /// <summary>Required for <c>author</c> keys, forbidden otherwise: the one site (its key) the key may act in.</summary>
    /// <example>null</example>
    public string? Site { get; init; }

    /// <summary>Required for <c>author</c> keys, forbidden otherwise: the author profile of that site whose drafts the key may edit.</summary>
    /// <example>null</example>
    public string? AuthorSlug { get; init; }
}

/// <summary>A new API key with its secret. Store <c>key</c> now: it cannot be shown again.</summary>
public sealed record CreatedApiKey
{
    /// <example>01936b2e-7c1a-7d3e-9f00-1a2b3c4d5e6f</example>
    public required Guid Id { get; init; }

    /// <example>ci</example>
    public required string Name { get; init; }

    public required ApiRole Role { get; init; }

    /// <summary>For <c>author</c> keys: the site the key may act in.</summary>
    public required string? Site { get; init; }

    /// <summary>For <c>author</c> keys: the author profile the key acts as.</summary>
    public required string? AuthorSlug { get; init; }

    /// <summary>The secret. Send it as <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    /// <example>dx_4fGh7KqZ2mN8pR1sT5vW9xY3zA6bC0dE2fG4hJ6kL8m</example>
    public required string Key { get; init; }

    public required DateTime CreatedAt { get; init; }
}

public sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKey>
{
    public CreateApiKeyValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(ApiKey.NameMaxLength).SingleLine();
        RuleFor(x => x.Role).IsInEnum();
        RuleFor(x => x.Site)
            .NotEmpty().WithMessage("'site' is required for author keys: an author key acts in one site.")
            .MaximumLength(SiteRules.KeyMaxLength).Matches(SiteRules.KeyPattern)
            .When(x => x.Role == ApiRole.Author);
        RuleFor(x => x.AuthorSlug)
            .NotEmpty().WithMessage("'authorSlug' is required for author keys.")
            .MaximumLength(TaxonomyRules.SlugMaxLength).Matches(SlugRules.Pattern)
            .When(x => x.Role == ApiRole.Author);
        RuleFor(x => x.Site)
            .Null().WithMessage("'site' is only allowed for author keys; other roles act in every site.")
            .When(x => x.Role != ApiRole.Author);
        RuleFor(x => x.AuthorSlug)
            .Null().WithMessage("'authorSlug' is only allowed for author keys.")
            .When(x => x.Role != ApiRole.Author);
    }
}

public sealed class CreateApiKeyHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<CreateApiKey, CreatedApiKey>
{
    public async ValueTask<CreatedApiKey> Handle(CreateApiKey command, CancellationToken cancellationToken)
    {
        var author = command.Role == ApiRole.Author ? await BindAsync(command.Site!, command.AuthorSlug!, cancellationToken) : null;
        var secret = ApiKeySecret.Generate();
        var key = new ApiKey(command.Name, command.Role, ApiKeySecret.PrefixOf(secret), ApiKeySecret.Hash(secret), author, clock.UtcNow());
        db.ApiKeys.Add(key);
        return new CreatedApiKey
        {
            Id = key.Id, Name = key.Name, Role = key.Role, Site = command.Site, AuthorSlug = command.AuthorSlug,
            Key = secret, CreatedAt = key.CreatedAt,
        };
    }

    /// <summary>The site and author profile an author key names; both must exist (400 otherwise).</summary>
    private async Task<AuthorBinding> BindAsync(string site, string authorSlug, CancellationToken cancellationToken)
    {
        var siteId = await db.Sites.Where(s => s.Key == site).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ValidationException([new ValidationFailure("site", $"No site '{site}'.")]);
        var authorId = await db.TaxonomyTerms.Where(t => t.SiteId == siteId && t.Kind == TermKind.Author && t.Slug == authorSlug)
                .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ValidationException([new ValidationFailure("authorSlug", $"No author '{authorSlug}' in site '{site}'.")]);
        return new AuthorBinding(siteId, authorId);
    }
}
