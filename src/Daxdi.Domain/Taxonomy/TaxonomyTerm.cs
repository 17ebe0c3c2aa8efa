using Daxdi.Domain.Common;

namespace Daxdi.Domain.Taxonomy;

/// <summary>
/// An author profile, a tag or a section of one site. Authors use <see cref="Description"/> as their bio
/// and may have an avatar; tags and sections have a description only.
/// </summary>
public sealed class TaxonomyTerm : Entity
{
    private TaxonomyTerm()
    {
    }

    public TaxonomyTerm(Guid siteId, TermKind kind, string slug, string name, string? description, string? avatarUrl, DateTime now)
        : base(now)
    {
        SiteId = siteId;
        Kind = kind;
        Slug = slug;
        Name = name;
        Description = description;
        AvatarUrl = kind == TermKind.Author ? avatarUrl : null;
    }

    public Guid SiteId { get; private set; }

    public TermKind Kind { get; private set; }

    public string Slug { get; private set; } = null!;

    public string Name { get; private set; } = null!;

    public string? Description { get; private set; }

    public string? AvatarUrl { get; private set; }

    public void Update(string slug, string name, string? description, string? avatarUrl, DateTime now)
    {
        Slug = slug;
        Name = name;
        Description = description;
        AvatarUrl = Kind == TermKind.Author ? avatarUrl : null;
        Touch(now);
    }
}
