using System.Text.Json.Serialization;
using Daxdi.Application.Common;
using Daxdi.Domain.Taxonomy;

namespace Daxdi.Application.Features.Taxonomy;

/// <summary>What every taxonomy term shows.</summary>
public abstract record TaxonomyTermDto : IVersioned
{
    public required Guid Id { get; init; }

    /// <example>jane-doe</example>
    public required string Slug { get; init; }

    /// <example>Jane Doe</example>
    public required string Name { get; init; }

    /// <summary>Concurrency version; also the <c>ETag</c>.</summary>
    /// <example>1</example>
    public required int Version { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    internal static TaxonomyTermDto From(TaxonomyTerm t) => t.Kind == TermKind.Author
        ? new AuthorDto
        {
            Id = t.Id, Slug = t.Slug, Name = t.Name, Bio = t.Description, AvatarUrl = t.AvatarUrl,
            Version = t.Version, CreatedAt = t.CreatedAt, UpdatedAt = t.UpdatedAt,
        }
        : new TermDto
        {
            Id = t.Id, Slug = t.Slug, Name = t.Name, Description = t.Description,
            Version = t.Version, CreatedAt = t.CreatedAt, UpdatedAt = t.UpdatedAt,
        };
}

/// <summary>An author profile of a site.</summary>
public sealed record AuthorDto : TaxonomyTermDto
{
    /// <example>Covers transport and city hall.</example>
    [JsonPropertyOrder(1)]
    public required string? Bio { get; init; }

    /// <example>https://cdn.daxdi.example/avatars/jane-doe.jpg</example>
    [JsonPropertyOrder(1)]
    public required string? AvatarUrl { get; init; }
}

/// <summary>A tag or section of a site.</summary>
public sealed record TermDto : TaxonomyTermDto
{
    [JsonPropertyOrder(1)]
    public required string? Description { get; init; }
}
