using Daxdi.Domain.Common;

namespace Daxdi.Domain.Articles;

/// <summary>What happened to an article, as far as its public life goes.</summary>
public enum ArticleEventKind
{
    /// <summary>It went live (now, or when its schedule came).</summary>
    Published,

    /// <summary>A published article's public content changed.</summary>
    Updated,

    /// <summary>A published article went back to draft.</summary>
    Unpublished,

    /// <summary>A published article was archived (it leaves the public site).</summary>
    Archived,

    /// <summary>It was deleted, whatever its status.</summary>
    Deleted,
}

/// <summary>
/// An article's public life changed. It carries what a receiver needs to act (refresh a page, rebuild a route)
/// as the article stood after the change.
/// </summary>
/// <param name="PreviousSlug">The slug before this change, when the change moved the article to a new one.</param>
public sealed record ArticleChanged(
    ArticleEventKind Kind,
    Guid SiteId,
    Guid ArticleId,
    string Slug,
    string? PreviousSlug,
    string Title,
    string Language,
    ArticleStatus Status,
    int Version,
    DateTime? PublishedAt,
    DateTime OccurredAt) : IDomainEvent;
