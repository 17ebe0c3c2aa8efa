using AngleSharp.Html.Parser;
using Daxdi.Application.Features.Articles.Rendering;
using Daxdi.Domain.Articles;
using Daxdi.Domain.Common;

namespace Daxdi.Tests.Unit;

/// <summary>What HtmlSanitizer and Markdig make of editors' bodies.</summary>
public sealed class BodyRendererTests
{
    private static readonly ArticleBodyRenderer Renderer = new();

    private static readonly string[] DangerousElements =
        ["script", "iframe", "object", "embed", "form", "meta", "base", "link", "style", "svg", "math", "frame", "frameset", "applet"];

    /// <summary>Vectors from the OWASP XSS filter evasion cheat sheet, plus a few mutation-XSS classics.</summary>
    public static TheoryData<string> XssVectors() =>
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
        "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
        "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"vbscript:msgbox(1)\">vb</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
        "<svg/onload=alert('XSS')>",
        "<svg><script>alert(1)</script></svg>",
        "<BODY ONLOAD=alert('XSS')>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
        "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>",
        "<STYLE>@import'http://evil.example/xss.css';</STYLE>",
        "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
        "<BASE HREF=\"javascript:alert('XSS');//\">",
        "<form action=\"javascript:alert(1)\"><input type=submit></form>",
        "<details open ontoggle=alert(1)>x</details>",
        "<input autofocus onfocus=alert(1)>",
        "<video><source onerror=\"alert(1)\"></video>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "\"><script>alert(1)</script>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    ];

    [Theory]
    [MemberData(nameof(XssVectors))]
    public void Xss_vectors_come_out_inert(string vector)
    {
        var html = Renderer.Render($"<p>Before</p>{vector}<p>After</p>", BodyFormat.Html, TestContext.Current.CancellationToken).Html;

        AssertInert(html);
    }

    [Theory]
    [MemberData(nameof(XssVectors))]
    public void Xss_vectors_inside_markdown_come_out_inert(string vector)
    {
        var html = Renderer.Render($"# Title\n\nSome *text*.\n\n{vector}\n\n[link](javascript:alert(1))", BodyFormat.Markdown, TestContext.Current.CancellationToken).Html;

        AssertInert(html);
    }

    [Fact]
    public void Safe_editorial_markup_is_kept()
    {
        const string body = "<h2>Heading</h2><p>A <strong>strong</strong> and <em>em</em> <a href=\"https://news.example/a\">link</a>.</p>"
            + "<figure><img src=\"https://cdn.example/a.jpg\" alt=\"Bridge\"><figcaption>Caption</figcaption></figure>"
            + "<blockquote>Quote</blockquote><ul><li>One</li></ul>";

        var html = Renderer.Render(body, BodyFormat.Html, TestContext.Current.CancellationToken).Html;

        Assert.Equal(body, html);
    }

    [Fact]
    public void Markdown_is_rendered_to_html()
    {
        const string markdown = "## Back in service\n\nThe bridge **reopens** on *Monday*.\n\n- cars\n- bikes\n\n"
            + "| day | time |\n|---|---|\n| Mon | 6:00 |\n\n> quoted\n\n`code` and [map](https://maps.example/bridge)";

        var html = Renderer.Render(markdown, BodyFormat.Markdown, TestContext.Current.CancellationToken).Html;

        Assert.Contains("<h2>Back in service</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>reopens</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<em>Monday</em>", html, StringComparison.Ordinal);
        Assert.Contains("<li>cars</li>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<blockquote>", html, StringComparison.Ordinal);
        Assert.Contains("<code>code</code>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://maps.example/bridge\">map</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Words_are_counted_across_block_boundaries()
    {
        var rendered = Renderer.Render("<h2>Two words</h2><p>three more words</p><ul><li>six</li><li>seven</li></ul>", BodyFormat.Html, TestContext.Current.CancellationToken);

        Assert.Equal(7, rendered.WordCount);
        Assert.Equal("Two words three more words six seven", rendered.PlainText);
    }

    [Fact]
    public void Generated_excerpts_stop_at_a_word_boundary()
    {
        var text = string.Join(' ', Enumerable.Repeat("harbour", 100));

        var excerpt = ArticleBodyRenderer.Excerpt(text, ArticleRules.GeneratedExcerptLength);

        Assert.True(excerpt.Length <= ArticleRules.GeneratedExcerptLength + 1);
        Assert.EndsWith("harbour…", excerpt, StringComparison.Ordinal);
        Assert.Equal("short text", ArticleBodyRenderer.Excerpt("short text", ArticleRules.GeneratedExcerptLength));
    }

    public static TheoryData<string, string, string> HostileBodies() => new()
    {
        // The tree builder scans its stack for almost every tag: nesting made it quadratic (100,000 divs: 162 s).
        { "html", Repeat("<div>", 100_000), "article.body_too_deep" },
        { "html", Repeat("<table><td>", 10_000), "article.body_too_deep" },
        { "html", Repeat("<b><div></b>", 10_000), "article.body_too_deep" },
        { "html", Repeat("<ul><li>", 10_000), "article.body_too_deep" },
        // Unclosed formatting elements are re-opened in every block: 160 KB became 1.2 million elements.
        { "html", "<div>" + string.Concat(Enumerable.Range(0, 60).Select(i => $"<b id={i}>")) + "</div>" + Repeat("<p>x</p>", 15_000), "article.body_too_complex" },
        { "html", Repeat("<br>", 30_000), "article.body_too_complex" },
        { "html", Repeat("<p><b>word", 15_000), "article.body_too_complex" },
        { "markdown", Repeat(">", 1000), "article.body_too_deep" },
        { "markdown", string.Concat(Enumerable.Range(0, 100).Select(i => new string(' ', i * 2) + "- item\n")), "article.body_too_deep" },
        { "markdown", "[a]: https://example.com/" + new string('p', 1500) + "\n\n" + Repeat("[a] ", 30_000), "article.body_too_complex" },
        { "markdown", Repeat("[a]: b\n\n", 300), "article.body_too_complex" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public void Bodies_over_a_structural_limit_are_refused_with_their_code(string format, string body, string code)
    {
        var refused = Assert.Throws<DomainException>(() =>
            Renderer.Render(body, format == "html" ? BodyFormat.Html : BodyFormat.Markdown, TestContext.Current.CancellationToken));

        Assert.Equal(code, refused.Code);
        Assert.Equal(ErrorKind.Invalid, refused.Kind);
    }

    /// <summary>Markdig is quadratic on these (![a]( × 50,000: 42 s); the CPU budget stops them, or Markdig's own depth limit.</summary>
    [Theory]
    [InlineData("![a](")]
    [InlineData("[a](")]
    [InlineData("*a **a ")]
    [InlineData("[ (](")]
    [InlineData("www.a.b ")]
    public void Markdown_that_markdig_parses_in_quadratic_time_is_refused(string unit)
    {
        var body = Repeat(unit, ArticleRules.BodyMaxBytes / unit.Length);

        var refused = Assert.Throws<DomainException>(() => Renderer.Render(body, BodyFormat.Markdown, TestContext.Current.CancellationToken));

        Assert.Contains(refused.Code, new[] { "article.body_too_complex", "article.body_too_deep" });
    }

    [Fact]
    public void An_aborted_request_stops_rendering()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Renderer.Render(Repeat("<p>word</p>", 5000), BodyFormat.Html, aborted.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => Renderer.Render(Repeat("*a **a ", 5000), BodyFormat.Markdown, aborted.Token));
    }

    [Fact]
    public void A_long_read_well_within_the_limits_renders()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("The council voted on the harbour bridge budget,", 20));
        var markdown = string.Concat(Enumerable.Range(0, 50).Select(i =>
            $"## Part {i}\n\n{paragraph} See [the minutes](https://example.com/{i}) and *the* **vote**.\n\n> A quote.\n\n- one\n- two\n\n"));

        var rendered = Renderer.Render(markdown, BodyFormat.Markdown, TestContext.Current.CancellationToken);

        Assert.InRange(markdown.Length, 48 * 1024, ArticleRules.BodyMaxBytes);
        Assert.Equal(50, rendered.Html.Split("<h2").Length - 1);
        Assert.True(rendered.WordCount > 6_000);
    }

    private static string Repeat(string unit, int times) => string.Concat(Enumerable.Repeat(unit, times));

    private static void AssertInert(string html)
    {
        using var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        var elements = document.Body!.QuerySelectorAll("*");
        foreach (var element in elements)
        {
            Assert.DoesNotContain(element.LocalName, DangerousElements);
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name} in: {html}");
                Assert.NotEqual("style", attribute.Name);
                var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                foreach (var scheme in new[] { "javascript:", "vbscript:", "data:" })
                {
                    Assert.False(value.Contains(scheme, StringComparison.OrdinalIgnoreCase), $"{attribute.Name}=\"{attribute.Value}\" in: {html}");
                }
            }
        }

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }
}
