using Daxdi.Application.Common;
using Daxdi.Application.Abstractions;
using Daxdi.Application.Security;
using Daxdi.Domain.Security;
using Daxdi.Domain.Sites;
using FluentValidation;
using Mediator;

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

    /// <summary>Required for <c>author</c> keys, forbidden otherwise: the author profile whose drafts the key may edit.</summary>
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

    public string? AuthorSlug { get; init; }

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
        RuleFor(x => x.AuthorSlug)
            .NotEmpty().WithMessage("'authorSlug' is required for author keys.")
            .MaximumLength(SiteRules.KeyMaxLength).Matches(SiteRules.KeyPattern)
            .When(x => x.Role == ApiRole.Author);
        RuleFor(x => x.AuthorSlug)
            .Null().WithMessage("'authorSlug' is only allowed for author keys.")
            .When(x => x.Role != ApiRole.Author);
    }
}

public sealed class CreateApiKeyHandler(IDaxdiDbContext db, TimeProvider clock) : ICommandHandler<CreateApiKey, CreatedApiKey>
{
    public ValueTask<CreatedApiKey> Handle(CreateApiKey command, CancellationToken cancellationToken)
    {
        var secret = ApiKeySecret.Generate();
        var key = new ApiKey(command.Name, command.Role, ApiKeySecret.PrefixOf(secret), ApiKeySecret.Hash(secret),
            command.AuthorSlug, clock.UtcNow());
        db.ApiKeys.Add(key);
        return ValueTask.FromResult(new CreatedApiKey
        {
            Id = key.Id, Name = key.Name, Role = key.Role, AuthorSlug = key.AuthorSlug, Key = secret, CreatedAt = key.CreatedAt,
        });
    }
}
