using Daxdi.Domain.Taxonomy;

namespace Daxdi.Domain.Articles;

/// <summary>An author or tag of an article, in the editor's order.</summary>
public sealed class ArticleTerm
{
    private ArticleTerm()
    {
    }

    internal ArticleTerm(Guid articleId, Guid termId, TermKind kind, int position)
    {
        ArticleId = articleId;
        TermId = termId;
        Kind = kind;
        Position = position;
    }

    public Guid ArticleId { get; private set; }

    public Guid TermId { get; private set; }

    public TermKind Kind { get; private set; }

    public int Position { get; internal set; }
}

/// <summary>One of the editors' picks shown with an article, in order.</summary>
public sealed class ArticleRecommendation
{
    private ArticleRecommendation()
    {
    }

    internal ArticleRecommendation(Guid articleId, Guid recommendedId, int position)
    {
        ArticleId = articleId;
        RecommendedId = recommendedId;
        Position = position;
    }

    public Guid ArticleId { get; private set; }

    public Guid RecommendedId { get; private set; }

    public int Position { get; internal set; }
}

/// <summary>A slug the article had before; public reads of it redirect to the current one.</summary>
public sealed class ArticleFormerSlug
{
    private ArticleFormerSlug()
    {
    }

    internal ArticleFormerSlug(Guid articleId, Guid siteId, string slug)
    {
        ArticleId = articleId;
        SiteId = siteId;
        Slug = slug;
    }

    public Guid ArticleId { get; private set; }

    public Guid SiteId { get; private set; }

    public string Slug { get; private set; } = null!;
}
