using System.Text;
using AngleSharp.Html.Parser;
using Daxdi.Domain.Articles;
using Ganss.Xss;
using Markdig;

namespace Daxdi.Application.Features.Articles;

/// <summary>The body as stored: sanitized HTML, plus the plain text that word count and excerpts come from.</summary>
public sealed record RenderedBody(string Html, string PlainText, int WordCount);

/// <summary>
/// Turns what an editor sends into safe HTML. Markdown is rendered with Markdig first; either way the HTML goes
/// through HtmlSanitizer, which drops scripts, event-handler attributes, <c>javascript:</c> and other unsafe URLs,
/// and anything not on its allow-list. Thread-safe: one instance serves the whole process.
/// </summary>
public sealed class ArticleBodyRenderer
{
    private static readonly string[] BlockElements =
        ["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "pre", "td", "th", "tr", "section", "article", "hr"];

    private readonly HtmlSanitizer _sanitizer;
    private readonly MarkdownPipeline _markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private readonly HtmlParser _parser = new();

    public ArticleBodyRenderer()
    {
        _sanitizer = new HtmlSanitizer();
        _sanitizer.AllowedSchemes.Clear();
        _sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        _sanitizer.AllowedTags.UnionWith(["figure", "figcaption"]);
        // Forms in an article are a phishing tool, not journalism.
        _sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend"]);
        _sanitizer.AllowedAttributes.Remove("style");
        _sanitizer.AllowedAttributes.Remove("class");
    }

    public RenderedBody Render(string body, BodyFormat format)
    {
        var html = format == BodyFormat.Markdown ? Markdown.ToHtml(body, _markdown) : body;
        var safe = _sanitizer.Sanitize(html).Trim();
        var text = PlainText(safe);
        return new RenderedBody(safe, text, CountWords(text));
    }

    /// <summary>The first sentences of the text, cut at a word boundary with an ellipsis.</summary>
    public static string Excerpt(string plainText, int maxLength)
    {
        if (plainText.Length <= maxLength)
        {
            return plainText;
        }

        var cut = plainText[..maxLength];
        var lastSpace = cut.LastIndexOf(' ');
        return (lastSpace > maxLength / 2 ? cut[..lastSpace] : cut).TrimEnd(',', ';', ':', '.', ' ') + "…";
    }

    private string PlainText(string html)
    {
        using var document = _parser.ParseDocument($"<body>{html}</body>");
        // Block boundaries separate words even when the markup has no whitespace between them.
        foreach (var element in document.Body!.QuerySelectorAll(string.Join(',', BlockElements)))
        {
            element.Append(document.CreateTextNode(" "));
        }

        var text = new StringBuilder();
        foreach (var word in document.Body.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append(text.Length == 0 ? "" : " ").Append(word);
        }

        return text.ToString();
    }

    private static int CountWords(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));
}
