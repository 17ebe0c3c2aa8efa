using System.Text;
using Daxdi.Application.Features.Articles.Import;
using Daxdi.Domain.Common;
using Daxdi.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Daxdi.Tests.Unit;

/// <summary>The import's extraction with the rules the API ships (<c>Import</c> in appsettings.json), on fixtures of our own.</summary>
public sealed class PageExtractorTests
{
    private const string SiteName = "Harbor Times";

    private static readonly ImportOptions Shipped = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(Repository.Root, "src", "Daxdi.Api", "appsettings.json"))
        .Build().GetSection(ImportOptions.Section).Get<ImportOptions>()!;

    private static readonly PageExtractor Extractor = new(new ChromeRules(Shipped));

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(Repository.Root, "tests", "Daxdi.Tests", "Articles", "Import", "Fixtures", name));

    internal static ExtractedPage Extract(string fixture) =>
        Extractor.Extract(new ImportedPage(fixture.EndsWith(".html", StringComparison.Ordinal) ? PageFormat.Html : PageFormat.Text, Fixture(fixture)),
            SiteName, "en");

    [Fact]
    public void A_page_carrying_its_story_twice_keeps_one_copy_in_order_and_none_of_the_chrome()
    {
        var page = Extract("doubled-article.txt");

        Assert.Equal("Ferry Crews Walk Out Over Night-Shift Rota", page.Title);
        Assert.Null(page.Subtitle);
        var paragraphs = page.BodyText.Split("\n\n");
        Assert.Equal(8, paragraphs.Length);
        Assert.StartsWith("Crews on the three harbour ferry routes", paragraphs[0], StringComparison.Ordinal);
        Assert.StartsWith("The operator's chief executive", paragraphs[4], StringComparison.Ordinal);
        Assert.StartsWith("The strike is due to last", paragraphs[^1], StringComparison.Ordinal);
        Assert.Equal(1, CountOf(page.BodyHtml, "Crews on the three harbour ferry routes"));
        foreach (var chrome in new[] { "Bitcoin", "Recommended", "cookie", "Preferences", "Continue", "click here", SiteName })
        {
            Assert.DoesNotContain(chrome, page.BodyText, StringComparison.OrdinalIgnoreCase);
        }

        var removed = page.Report.Removed;
        Assert.Contains(removed, r => r is { Kind: ChromeKind.Promo, Rule: "promo-now-accepts" } && r.Text.Contains("Bitcoin", StringComparison.Ordinal));
        Assert.Equal(2, removed.Count(r => r is { Kind: ChromeKind.Recommended, Text: "Recommended by Our Editors" }));
        Assert.Contains(removed, r => r is { Kind: ChromeKind.SiteName, Text: SiteName });
        var banner = removed.Where(r => r.Kind == ChromeKind.CookieBanner).Select(r => r.Text).ToList();
        Assert.Equal(6, banner.Count);
        Assert.Equal("quayside-gazette.example Cookies", banner[0]);
        Assert.Equal(["click here.", "Preferences", "Continue"], banner[3..]);
        Assert.Equal(new CollapsedRepeats(8, 1, 8), page.Report.Collapsed);
        Assert.Equal(8, page.Report.Extracted.Paragraphs);
    }

    [Fact]
    public void An_html_page_loses_navigation_scripts_banner_share_bar_newsletter_related_links_and_footer()
    {
        var page = Extract("chrome-page.html");

        Assert.Equal("Sea wall repairs begin at Quay Street", page.Title);
        Assert.Equal("Ana Moreno", page.Report.Extracted.Byline);
        Assert.Equal(new("Quayside Gazette", "https://quayside-gazette.example/news/sea-wall-repairs"),
            (page.Report.Extracted.Source!.Name, page.Report.Extracted.Source.Url));
        Assert.StartsWith("<p>Engineers began a year-long repair", page.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("4.2 million", page.BodyText, StringComparison.Ordinal);
        foreach (var chrome in new[] { "Home", "Sport", "dataLayer", "cookies", "Accept all", "Share", "newsletter", "Related", "Storm damage", "All rights", "Privacy" })
        {
            Assert.DoesNotContain(chrome, page.BodyHtml, StringComparison.Ordinal);
        }

        Assert.Equal(6, page.Report.Extracted.Paragraphs);
    }

    [Fact]
    public void Hostile_html_is_sanitised()
    {
        var page = Extract("hostile.html");

        Assert.Equal("Library opens late on Thursdays", page.Title);
        Assert.Equal(4, page.Report.Extracted.Paragraphs);
        foreach (var attack in new[] { "<script", "onerror", "onclick", "javascript:", "<iframe", "<form", "<input", "style=", "evil.example" })
        {
            Assert.DoesNotContain(attack, page.BodyHtml, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_newsroom_adds_a_footer_rule_in_configuration()
    {
        var text = "Tide tables move online\n\n" + string.Join("\n\n", Enumerable.Repeat(0, 6).Select(i =>
            $"Paragraph {i} of a story about the harbour master's new tide tables, which go online next week for every berth.")) +
            "\n\nPrinted and published by Harbour Press Ltd, Quay Street";
        var custom = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Repository.Root, "src", "Daxdi.Api", "appsettings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Import:Rules:en:our-imprint:Kind"] = "footer",
                ["Import:Rules:en:our-imprint:Pattern"] = "^printed and published by\\b",
            })
            .Build().GetSection(ImportOptions.Section).Get<ImportOptions>()!;

        var before = Extractor.Extract(new ImportedPage(PageFormat.Text, text), SiteName, "en");
        var after = new PageExtractor(new ChromeRules(custom)).Extract(new ImportedPage(PageFormat.Text, text), SiteName, "en");

        Assert.Contains("Printed and published", before.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("Printed and published", after.BodyText, StringComparison.Ordinal);
        Assert.Contains(after.Report.Removed, r => r is { Kind: ChromeKind.Footer, Rule: "our-imprint" });
    }

    [Fact]
    public void A_pattern_that_does_not_compile_stops_start_up_naming_its_key()
    {
        var options = new ImportOptions { Rules = new() { ["en"] = new() { ["broken"] = new ChromeRuleOptions { Kind = ChromeKind.Footer, Pattern = "(" } } } };

        var error = Assert.Throws<OptionsValidationException>(() => new ChromeRules(options));

        Assert.Contains("Import:Rules:en:broken:Pattern", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", ImportedPage.EmptyCode)]
    [InlineData(" \r\n\t ", ImportedPage.EmptyCode)]
    public void Empty_input_is_refused(string body, string code) =>
        Assert.Equal(code, Assert.Throws<DomainException>(() => ImportedPage.Decode(PageFormat.Text, Encoding.UTF8.GetBytes(body), null)).Code);

    [Fact]
    public void Binary_input_and_undecodable_or_unknown_charsets_are_refused()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D];
        Assert.Equal(ImportedPage.BinaryCode, Assert.Throws<DomainException>(() => ImportedPage.Decode(PageFormat.Html, png, null)).Code);
        Assert.Equal(ImportedPage.UndecodableCode,
            Assert.Throws<DomainException>(() => ImportedPage.Decode(PageFormat.Text, [0x48, 0xC3, 0x28, 0x69], "utf-8")).Code);
        Assert.Equal(ImportedPage.CharsetCode,
            Assert.Throws<DomainException>(() => ImportedPage.Decode(PageFormat.Text, "Hi"u8.ToArray(), "x-no-such-charset")).Code);
    }

    [Fact]
    public void The_charset_comes_from_the_content_type_else_the_meta_declaration()
    {
        var latin1 = Encoding.Latin1.GetBytes("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Café on the pier</p></body></html>");

        Assert.Contains("Café", ImportedPage.Decode(PageFormat.Html, latin1, null).Text, StringComparison.Ordinal);
        Assert.Contains("Café", ImportedPage.Decode(PageFormat.Text, Encoding.Latin1.GetBytes("Café"), "ISO-8859-1").Text, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
