using System.Text;
using System.Text.RegularExpressions;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;
using Ganss.Xss;
using Markdig;

namespace Daxdi.Application.Features.Articles.Rendering;

/// <summary>The body as stored: sanitized HTML, plus the plain text that word count and excerpts come from.</summary>
public sealed record RenderedBody(string Html, string PlainText, int WordCount);

/// <summary>
/// Turns what an editor sends into safe HTML. Markdown is rendered with Markdig first; either way the HTML goes
/// through HtmlSanitizer, which drops scripts, event-handler attributes, <c>javascript:</c> and other unsafe URLs,
/// and anything not on its allow-list.
/// <para>
/// The work is bounded whatever the body: the HTML is parsed once, under a <see cref="MarkupBudget"/> (nesting and
/// element count), every phase checks one <see cref="RenderBudget"/> (CPU time and the request's cancellation), and
/// Markdown may expand only so far. A body over a limit is refused with 400 <c>article.body_too_deep</c> or
/// <c>article.body_too_complex</c>. Thread-safe: one instance serves the whole process.
/// </para>
/// </summary>
public sealed partial class ArticleBodyRenderer
{
    /// <summary>
    /// Markdown can expand (a long link reference used many times); the HTML it renders to may have at most this many
    /// characters, twice the body limit.
    /// </summary>
    public const int MaxMarkdownHtmlLength = 2 * ArticleRules.BodyMaxBytes;

    /// <summary>
    /// Link reference definitions (<c>[label]: url</c>) one Markdown body may hold. Markdig reads a run of them in
    /// quadratic time inside one step that nothing can interrupt (2,300 in one paragraph: about 100 ms).
    /// </summary>
    public const int MaxLinkReferenceDefinitions = 200;

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
        { "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "pre", "td", "th", "tr", "section", "article", "hr" };

    private readonly MarkdownPipeline _markdown;

    public ArticleBodyRenderer()
    {
        var markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions();
        markdown.MaximumNestingDepth = MarkupBudget.MaxDepth;
        MarkdownBudget.Install(markdown);
        _markdown = markdown.Build();

        // The budget counts the thread's CPU time, and compiling Markdig, AngleSharp and HtmlSanitizer on first use
        // takes more than the budget: the first body of a process would be refused. So every path runs once here.
        RenderTrusted(WarmUp.Markdown, BodyFormat.Markdown);
    }

    /// <summary>
    /// Renders a body the server itself ships (the warm-up, the demo content) without the time budget, which bounds what
    /// clients send: start-up must not fail because a loaded machine rendered a known article slowly. Structural limits
    /// still apply.
    /// </summary>
    public RenderedBody RenderTrusted(string body, BodyFormat format) =>
        Render(body, format, new RenderBudget(CancellationToken.None, milliseconds: int.MaxValue));

    /// <exception cref="DomainException">400 <c>article.body_too_deep</c> or <c>article.body_too_complex</c>.</exception>
    /// <exception cref="OperationCanceledException">The request was aborted.</exception>
    public RenderedBody Render(string body, BodyFormat format, CancellationToken cancellationToken) =>
        Render(body, format, new RenderBudget(cancellationToken));

    private RenderedBody Render(string body, BodyFormat format, RenderBudget budget)
    {
        try
        {
            var html = format == BodyFormat.Markdown ? MarkdownToHtml(body, budget) : body;
            using var document = new HtmlParser(new MarkupBudget(budget).ParserOptions())
                .ParseDocument("<!doctype html><html><body>" + html);
            Sanitizer(budget).SanitizeDom(document, document.Body);
            var safe = document.Body!.ChildNodes.ToHtml(new BudgetedFormatter(budget)).Trim();
            var text = PlainText(document.Body, budget);
            return new RenderedBody(safe, text, CountWords(text));
        }
        catch (MarkupLimitException e)
        {
            throw e.Limit switch
            {
                MarkupLimit.Depth => TooDeep(),
                MarkupLimit.Elements => TooComplex($"has more than {MarkupBudget.MaxElements} HTML elements"),
                _ => TooComplex($"takes more than {RenderBudget.MaxMilliseconds} ms to render"),
            };
        }
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

    private string MarkdownToHtml(string markdown, RenderBudget budget)
    {
        if (LinkReferenceDefinition().Count(markdown) > MaxLinkReferenceDefinitions)
        {
            throw TooComplex($"has more than {MaxLinkReferenceDefinitions} link reference definitions ([label]: url)");
        }

        using var html = new BoundedWriter(MaxMarkdownHtmlLength);
        try
        {
            Markdown.ToHtml(markdown, html, _markdown, MarkdownBudget.Context(budget));
        }
        catch (ArgumentException e) when (e.Message.Contains("depth limit", StringComparison.Ordinal))
        {
            throw TooDeep();
        }
        catch (BoundedWriter.FullException)
        {
            throw TooComplex($"renders to more than {MaxMarkdownHtmlLength} characters of HTML");
        }

        return html.ToString();
    }

    /// <summary>One per body (it is cheap to make), so that it can check that body's budget at every node.</summary>
    private static HtmlSanitizer Sanitizer(RenderBudget budget)
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        sanitizer.AllowedTags.UnionWith(["figure", "figcaption"]);
        // Forms in an article are a phishing tool, not journalism.
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend"]);
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedAttributes.Remove("class");
        sanitizer.PostProcessNode += (_, _) => budget.Check();
        return sanitizer;
    }

    /// <summary>The text of the body, with block boundaries as word breaks, in one pass over the tree (no recursion).</summary>
    private static string PlainText(IElement body, RenderBudget budget)
    {
        var raw = new StringBuilder();
        var pending = new Stack<(INode Node, bool Leaving)>();
        for (var child = body.LastChild; child is not null; child = child.PreviousSibling)
        {
            pending.Push((child, false));
        }

        while (pending.TryPop(out var item))
        {
            budget.Check();
            var (node, leaving) = item;
            if (leaving)
            {
                raw.Append(' ');
                continue;
            }

            if (node is IText text)
            {
                raw.Append(text.Data);
                continue;
            }

            if (node is IElement element && BlockElements.Contains(element.LocalName))
            {
                pending.Push((node, true));
            }

            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
            {
                pending.Push((child, false));
            }
        }

        var words = new StringBuilder(raw.Length);
        foreach (var word in raw.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            words.Append(words.Length == 0 ? "" : " ").Append(word);
        }

        return words.ToString();
    }

    private static int CountWords(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));

    private static DomainException TooDeep() =>
        DomainException.Invalid("article.body_too_deep",
            $"The body nests elements (HTML tags, Markdown quotes or lists) more than {MarkupBudget.MaxDepth} levels deep.");

    private static DomainException TooComplex(string what) =>
        DomainException.Invalid("article.body_too_complex", $"The body {what}; simplify it or split it into several articles.");

    [GeneratedRegex(@"^ {0,3}\[[^\]\n]+\]:", RegexOptions.Multiline)]
    private static partial Regex LinkReferenceDefinition();

    /// <summary>HtmlSanitizer's own output formatter, checking the budget at every element.</summary>
    private sealed class BudgetedFormatter(RenderBudget budget) : HtmlFormatter
    {
        public override string OpenTag(IElement element, bool selfClosing)
        {
            budget.Check();
            return base.OpenTag(element, selfClosing);
        }
    }

    /// <summary>A <see cref="StringWriter"/> that refuses to hold more than a limit, so Markdown cannot expand without bound.</summary>
    private sealed class BoundedWriter(int maxChars) : StringWriter
    {
        public override void Write(char value)
        {
            Reserve(1);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Reserve(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Reserve(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(string? value)
        {
            Reserve(value?.Length ?? 0);
            base.Write(value);
        }

        private void Reserve(int count)
        {
            if (GetStringBuilder().Length + count > maxChars)
            {
                throw new FullException();
            }
        }

        public sealed class FullException : Exception;
    }
}
