using System.Text;
using System.Text.RegularExpressions;
using Daxdi.Domain.Articles;

namespace Daxdi.Application.Features.Articles.Import;

/// <summary>A piece of site chrome the import removed, and the rule that matched it.</summary>
public sealed record RemovedChrome(ChromeKind Kind, string Rule, string Text);

/// <summary>The site a page came from, by its <c>og:site_name</c> and canonical URL.</summary>
public sealed record ExtractedSource(string Name, string? Url);

/// <summary>What the import found in the page, before it became a draft.</summary>
public sealed record ExtractedFields(string? Title, string? Subtitle, string? Byline, ExtractedSource? Source, string? Language,
    int Paragraphs, int Words);

/// <summary>
/// How much repetition was collapsed: paragraphs seen before, and of those, the runs of two or more in a row (a whole
/// block captured twice, such as the article itself).
/// </summary>
public sealed record CollapsedRepeats(int RepeatedParagraphs, int RepeatedBlocks, int ParagraphsInRepeatedBlocks);

/// <summary>The import's account of a page: what it extracted, removed and collapsed.</summary>
public sealed record ImportReport(ExtractedFields Extracted, IReadOnlyList<RemovedChrome> Removed, CollapsedRepeats Collapsed);

/// <summary>A page made ready to be a draft: its body HTML and plain text, and the report.</summary>
public sealed record ExtractedPage(string? Title, string? Subtitle, string BodyHtml, string BodyText, string? CanonicalUrl, ImportReport Report)
{
    public bool LooksLikeArticle(int minWords) => Title is not null && Report.Extracted.Words >= minWords;

    /// <summary>The text the duplicate check compares, composed as an article's own is.</summary>
    public string SimilarityText => Abstractions.SimilarityText.Of(Title ?? "", BodyText);
}

/// <summary>
/// The import's rules, in order: blocks of the page, site chrome removed by <see cref="ChromeRules"/>, title, subtitle
/// and byline taken from the top, then every paragraph seen before dropped, so a page that carries its story twice keeps
/// the first copy, in order.
/// </summary>
public sealed partial class PageExtractor(ChromeRules rules)
{
    private const int ReportedTextLength = 160;
    private const int TitleMaxWords = 30;
    private const int SubtitleMaxWords = 50;
    private const int BylineMaxWords = 10;

    public ExtractedPage Extract(ImportedPage page, string siteName, string? siteLanguage)
    {
        var (blocks, metadata) = page.Format == PageFormat.Html
            ? PageBlocks.FromHtml(page.Text)
            : (PageBlocks.FromText(page.Text), new PageMetadata(null, null, null, null, null));
        var siteNames = new[] { siteName, metadata.SiteName }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var language = metadata.Language ?? siteLanguage;

        var removed = new List<RemovedChrome>();
        var kept = RemoveChrome(blocks, rules.For(language), siteNames, removed);

        var title = metadata.Title is { } t ? StripSiteName(t, siteNames) : null;
        string? subtitle = null;
        var byline = metadata.Byline is { } b ? Byline().Replace(b, "") : null;
        if (title is null && kept.Count > 0 && IsHeadline(kept[0], TitleMaxWords))
        {
            title = kept[0].Text;
            kept.RemoveAt(0);
        }

        if (title is not null && kept.Count > 0 && Key(kept[0].Text) == Key(title))
        {
            kept.RemoveAt(0);
        }

        if (kept.Count > 1 && IsHeadline(kept[0], SubtitleMaxWords) && !IsByline(kept[0]))
        {
            subtitle = kept[0].Text;
            kept.RemoveAt(0);
        }

        if (kept.Count > 0 && IsByline(kept[0]))
        {
            byline ??= Byline().Replace(kept[0].Text, "");
            kept.RemoveAt(0);
        }

        var (body, collapsed) = CollapseRepeats(kept, title, subtitle);
        var text = string.Join("\n\n", body.Select(b => b.Text));
        var source = metadata.SiteName is { } name && !siteNames[0].Equals(name, StringComparison.OrdinalIgnoreCase)
            ? new ExtractedSource(Truncate(name, ArticleRules.SourceNameMaxLength), metadata.CanonicalUrl)
            : null;
        title = title is null ? null : Truncate(title, ArticleRules.TitleMaxLength);
        subtitle = subtitle is null ? null : Truncate(subtitle, ArticleRules.SubtitleMaxLength);
        var extracted = new ExtractedFields(title, subtitle, byline, source, metadata.Language, body.Count, PageBlocks.CountWords(text));
        return new ExtractedPage(title, subtitle, string.Concat(body.Select(b => b.Html)), text, metadata.CanonicalUrl,
            new ImportReport(extracted, removed, collapsed));
    }

    private static List<PageBlock> RemoveChrome(IReadOnlyList<PageBlock> blocks, IReadOnlyList<ChromeRule> rules,
        IReadOnlyCollection<string> siteNames, List<RemovedChrome> removed)
    {
        var patterns = rules.Select(r => (Rule: r, Regex: r.For(siteNames))).ToArray();
        var kept = new List<PageBlock>(blocks.Count);
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            var match = patterns.FirstOrDefault(p => (p.Rule.MaxWords is not { } max || block.Words <= max) && Matches(p.Regex, block.Text));
            if (match.Rule is not { } rule)
            {
                kept.Add(block);
                continue;
            }

            removed.Add(new RemovedChrome(rule.Kind, rule.Name, Truncate(block.Text, ReportedTextLength)));
            while (i + 1 < blocks.Count && GoesWithBlock(blocks[i + 1], rule.Following))
            {
                i++;
                removed.Add(new RemovedChrome(rule.Kind, rule.Name, Truncate(blocks[i].Text, ReportedTextLength)));
            }
        }

        return kept;
    }

    private static bool Matches(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>A button, a link or a short caption line after a banner or a "recommended" heading, not a sentence of the story.</summary>
    private static bool GoesWithBlock(PageBlock next, int following) =>
        following > 0 && (next.LinkOnly || (next.Words <= following && !(next.Words > 3 && EndsLikeSentence(next.Text))));

    private static (List<PageBlock> Body, CollapsedRepeats Collapsed) CollapseRepeats(List<PageBlock> blocks, string? title, string? subtitle)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var heading in new[] { title, subtitle }.OfType<string>())
        {
            seen.Add(Key(heading));
        }

        var body = new List<PageBlock>(blocks.Count);
        var (repeated, runs, inRuns, run) = (0, 0, 0, 0);
        foreach (var block in blocks)
        {
            var key = Key(block.Text);
            if (key.Length == 0 || seen.Add(key))
            {
                (runs, inRuns) = run >= 2 ? (runs + 1, inRuns + run) : (runs, inRuns);
                run = 0;
                body.Add(block);
                continue;
            }

            repeated++;
            run++;
        }

        (runs, inRuns) = run >= 2 ? (runs + 1, inRuns + run) : (runs, inRuns);
        return (body, new CollapsedRepeats(repeated, runs, inRuns));
    }

    /// <summary>A heading reads as one: short and not ended by a full stop.</summary>
    private static bool IsHeadline(PageBlock block, int maxWords) =>
        block.Words is > 0 and var words && words <= maxWords && !EndsLikeSentence(block.Text) && !block.LinkOnly;

    private static bool IsByline(PageBlock block) => block.Words <= BylineMaxWords && Byline().IsMatch(block.Text);

    private static bool EndsLikeSentence(string text) =>
        text.TrimEnd().TrimEnd('"', '”', '’', '\'', ')') is [.., '.' or '!' or '?' or '…' or ':'];

    private static string StripSiteName(string title, IReadOnlyCollection<string> siteNames)
    {
        foreach (var name in siteNames)
        {
            foreach (var separator in new[] { " | ", " - ", " – ", " — ", " · " })
            {
                if (title.EndsWith(separator + name, StringComparison.OrdinalIgnoreCase))
                {
                    return title[..^(separator.Length + name.Length)].Trim();
                }
            }
        }

        return title;
    }

    /// <summary>What makes two paragraphs the same: their letters and digits, case and punctuation aside.</summary>
    private static string Key(string text)
    {
        var key = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                key.Append(char.ToLowerInvariant(c));
            }
        }

        return key.ToString();
    }

    private static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', max - 1);
        return (cut > max / 2 ? text[..cut] : text[..(max - 1)]) + "…";
    }

    [GeneratedRegex(@"^(?i:by|written by|words by)\s+(?=\p{Lu})", RegexOptions.CultureInvariant)]
    private static partial Regex Byline();
}
