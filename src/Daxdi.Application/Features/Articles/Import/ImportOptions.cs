using System.ComponentModel.DataAnnotations;

namespace Daxdi.Application.Features.Articles.Import;

/// <summary>
/// <c>Import:*</c>: what the importer of scraped pages removes and keeps. The rules are data, per language, so a
/// newsroom adds a pattern for its own footer in configuration, without a release.
/// </summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>
    /// Chrome rules by language (<c>en</c>, <c>de</c>, … or <c>*</c> for every language), each by a name of its own, so
    /// a deployment adds one (<c>Import__Rules__en__our-footer__Pattern</c>) or turns a default off (an empty
    /// <c>Pattern</c>) without repeating the others. A page uses the rules of its language and of <c>*</c>; a language
    /// without rules of its own uses <see cref="FallbackLanguage"/>'s.
    /// </summary>
    public Dictionary<string, Dictionary<string, ChromeRuleOptions>> Rules { get; init; } = [];

    /// <summary>The rules a page of a language without rules of its own gets.</summary>
    [Required]
    public string FallbackLanguage { get; init; } = "en";

    /// <summary>Fewer words than this left after extraction: not an article (422).</summary>
    [Range(1, 10_000)]
    public int MinWords { get; init; } = 40;
}

/// <summary>One chrome rule: which paragraphs it removes, as what, and how far the block it starts reaches.</summary>
public sealed class ChromeRuleOptions
{
    /// <summary>What the matched text is, as the report names it.</summary>
    public ChromeKind Kind { get; init; }

    /// <summary>
    /// A .NET regular expression tried on each paragraph's text (whitespace collapsed). <c>{siteName}</c> stands for
    /// the importing site's name and the page's own site name. Empty: the rule is off.
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>Only paragraphs of at most this many words match: a promo line, not a sentence of the story that mentions it.</summary>
    [Range(1, 1000)]
    public int? MaxWords { get; init; }

    /// <summary>
    /// The rule starts a block: the paragraphs after the match that are at most this many words and do not read as a
    /// sentence (buttons, link lists, "access here."), or are only a link, go with it.
    /// </summary>
    [Range(0, 100)]
    public int Following { get; init; }
}

/// <summary>The kinds of site chrome an import removes.</summary>
public enum ChromeKind
{
    Promo,
    CookieBanner,
    Recommended,
    Newsletter,
    Footer,
    ShareBar,
    SiteName,
}
