namespace Daxdi.Domain.Articles;

/// <summary>Where an article is in the editorial workflow.</summary>
public enum ArticleStatus
{
    Draft,
    Scheduled,
    Published,
    Archived,
}

/// <summary>What the editor wrote the body in. Markdown is rendered to HTML on save and its source kept.</summary>
public enum BodyFormat
{
    Html,
    Markdown,
}
