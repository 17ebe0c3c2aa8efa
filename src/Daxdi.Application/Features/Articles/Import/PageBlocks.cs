using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Daxdi.Domain.Common;
using Ganss.Xss;

namespace Daxdi.Application.Features.Articles.Import;

/// <summary>One paragraph-level block of a page: its HTML for the draft and its text for the rules.</summary>
public sealed record PageBlock(string Html, string Text, bool LinkOnly)
{
    public int Words { get; } = PageBlocks.CountWords(Text);
}

/// <summary>What a page says about itself, besides its blocks.</summary>
public sealed record PageMetadata(string? Title, string? Byline, string? SiteName, string? Language, string? CanonicalUrl);

/// <summary>
/// Turns a page into blocks: plain text by its blank lines; HTML through SmartReader (Mozilla Readability's port),
/// which keeps the main content and drops navigation and scripts, then HtmlSanitizer, then its block elements.
/// </summary>
public static partial class PageBlocks
{
    /// <summary>Readability walks the tree recursively; deeper pages are refused before it sees them.</summary>
    public const int MaxDepth = 256;

    public const int MaxElements = 100_000;

    public const string TooComplexCode = "import.too_complex";

    private static readonly HashSet<string> BlockTags =
        ["P", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "BLOCKQUOTE", "PRE", "FIGURE", "TABLE"];

    private static readonly HtmlParser Parser = new();

    public static IReadOnlyList<PageBlock> FromText(string text) =>
        [.. Paragraphs(text).Select(p => new PageBlock($"<p>{WebUtility.HtmlEncode(p)}</p>", p, LinkOnly: false))];

    public static (IReadOnlyList<PageBlock> Blocks, PageMetadata Metadata) FromHtml(string html)
    {
        using var document = Parser.ParseDocument(html);
        EnsureTractable(document);
        var metadata = Metadata(document);

        var reader = new SmartReader.Reader(metadata.CanonicalUrl ?? "https://import.invalid/", document)
        {
            ContinueIfNotReadable = true,
            DisableJSONLD = false,
        };
        var article = reader.GetArticle();
        var content = string.IsNullOrWhiteSpace(article.Content) ? document.Body?.InnerHtml ?? "" : article.Content;

        using var clean = Parser.ParseDocument($"<body>{Sanitizer().Sanitize(content)}</body>");
        var blocks = Blocks(clean.Body!).ToList();
        return (blocks, metadata with
        {
            Title = Clean(article.Title) ?? metadata.Title,
            Byline = Clean(article.Byline ?? article.Author),
            SiteName = Clean(article.SiteName) ?? metadata.SiteName,
            Language = metadata.Language ?? Clean(article.Language),
        });
    }

    public static int CountWords(string text) => Word().Count(text);

    public static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    private static IEnumerable<string> Paragraphs(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        // A text with blank lines is paragraphs; one without is a paragraph per line.
        var separator = BlankLine().IsMatch(normalized) ? BlankLine() : LineBreak();
        return separator.Split(normalized).Select(Collapse).Where(p => p.Length > 0);
    }

    private static void EnsureTractable(IHtmlDocument document)
    {
        var count = 0;
        var pending = new Stack<(IElement Element, int Depth)>();
        pending.Push((document.DocumentElement, 1));
        while (pending.TryPop(out var item))
        {
            if (++count > MaxElements || item.Depth > MaxDepth)
            {
                throw DomainException.Invalid(TooComplexCode,
                    $"The page has more than {MaxElements} elements or is nested more than {MaxDepth} levels deep; no news page is.");
            }

            foreach (var child in item.Element.Children)
            {
                pending.Push((child, item.Depth + 1));
            }
        }
    }

    private static PageMetadata Metadata(IHtmlDocument document)
    {
        string? Meta(string selector, string attribute) => Clean(document.QuerySelector(selector)?.GetAttribute(attribute));
        var canonical = Meta("link[rel=canonical]", "href") ?? Meta("meta[property='og:url']", "content");
        var url = Uri.TryCreate(canonical, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u.AbsoluteUri : null;
        var language = Clean(document.DocumentElement.GetAttribute("lang"));
        return new PageMetadata(
            Meta("meta[property='og:title']", "content") ?? Clean(document.Title),
            null,
            Meta("meta[property='og:site_name']", "content"),
            language is not null && LanguageTag().IsMatch(language) ? language : null,
            url);
    }

    /// <summary>The outermost block elements, in document order; loose text between them is a paragraph of its own.</summary>
    private static IEnumerable<PageBlock> Blocks(IElement root)
    {
        var pending = new Stack<INode>();
        for (var child = root.LastChild; child is not null; child = child.PreviousSibling)
        {
            pending.Push(child);
        }

        while (pending.TryPop(out var node))
        {
            if (node is IElement element && BlockTags.Contains(element.TagName))
            {
                var text = Collapse(element.TextContent);
                if (text.Length > 0 || element.QuerySelector("img") is not null)
                {
                    var linkText = element.QuerySelectorAll("a").Sum(a => Collapse(a.TextContent).Length);
                    yield return new PageBlock(element.OuterHtml, text, text.Length > 0 && linkText >= text.Length * 0.8);
                }
            }
            else if (node is IElement container && container.Children.Any(c => BlockTags.Contains(c.TagName) || c.Children.Length > 0))
            {
                for (var child = container.LastChild; child is not null; child = child.PreviousSibling)
                {
                    pending.Push(child);
                }
            }
            else if (Collapse(node.TextContent) is { Length: > 0 } loose)
            {
                var html = node is IElement e ? e.InnerHtml : WebUtility.HtmlEncode(loose);
                var links = node is IElement withLinks ? withLinks.QuerySelectorAll("a").Sum(a => Collapse(a.TextContent).Length) : 0;
                yield return new PageBlock($"<p>{html}</p>", loose, links >= loose.Length * 0.8);
            }
        }
    }

    private static HtmlSanitizer Sanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        sanitizer.AllowedTags.UnionWith(["figure", "figcaption"]);
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset",
            "legend", "nav", "header", "footer", "aside"]);
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedAttributes.Remove("class");
        sanitizer.AllowedAttributes.Remove("id");
        return sanitizer;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : Collapse(WebUtility.HtmlDecode(value));

    [GeneratedRegex(@"\n[ \t]*\n")]
    private static partial Regex BlankLine();

    [GeneratedRegex(@"\n")]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*")]
    private static partial Regex Word();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]
    private static partial Regex LanguageTag();
}
