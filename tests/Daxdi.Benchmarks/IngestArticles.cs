using System.Text;
using System.Text.Json;

namespace Daxdi.Benchmarks;

/// <summary>
/// The articles of an archive import: realistic HTML bodies of about 5 KB (paragraphs, a heading, links, emphasis,
/// sometimes a quote or a list), one or two authors, a section, a few tags and often a lead image. Deterministic, and
/// serialized before the load starts, so the client spends its CPU on sending, not on writing.
/// </summary>
internal static class IngestArticles
{
    public const int Authors = 20;
    public const int Sections = 8;
    public const int Tags = 60;

    private const int MinBodyBytes = 4500;
    private const int MaxBodyBytes = 5500;

    public static string AuthorName(int i) => $"Author {Letters(i)} Ingest";

    public static string AuthorSlug(int i) => $"author-{Letters(i)}-ingest";

    public static string SectionName(int i) => $"Section {Letters(i)}";

    public static string SectionSlug(int i) => $"section-{Letters(i)}";

    public static string TagName(int i) => $"Topic {Letters(i)}";

    public static string TagSlug(int i) => $"topic-{Letters(i)}";

    /// <summary>The JSON bodies of <c>POST …/articles</c> for articles <paramref name="first"/> to first + count - 1.</summary>
    public static string[] Bodies(Corpus corpus, int first, int count)
    {
        var bodies = new string[count];
        Parallel.For(0, count, i =>
        {
            var index = first + i;
            var random = new Random(index * 7919 + 17);
            bodies[i] = Json(corpus, random, index);
        });
        return bodies;
    }

    private static string Json(Corpus corpus, Random random, int index)
    {
        var title = corpus.Sentence(random, 6, 11).TrimEnd('.');
        var authors = Enumerable.Range(0, random.NextDouble() < 0.75 ? 1 : 2).Select(_ => AuthorSlug(random.Next(Authors))).Distinct().ToArray();
        var tagWeights = Corpus.ZipfWeights(Tags, 1.0);
        var tags = Enumerable.Range(0, random.Next(2, 6)).Select(_ => TagSlug(Corpus.Zipf(random, tagWeights))).Distinct().ToArray();
        var article = new Dictionary<string, object?>
        {
            ["title"] = $"{title} ({index + 1})",
            ["subtitle"] = random.NextDouble() < 0.5 ? corpus.Sentence(random, 8, 16) : null,
            ["body"] = Html(corpus, random),
            ["bodyFormat"] = "html",
            ["authors"] = authors,
            ["section"] = SectionSlug(random.Next(Sections)),
            ["tags"] = tags,
            ["featuredImage"] = random.NextDouble() < 0.7
                ? new { url = $"https://img.bench.example/archive/{index + 1}.jpg", alt = corpus.Sentence(random, 4, 8), credit = "Bench Agency" }
                : null,
        };
        return JsonSerializer.Serialize(article);
    }

    /// <summary>A body of <see cref="MinBodyBytes"/> to <see cref="MaxBodyBytes"/> bytes of HTML, as a newsroom CMS exports it.</summary>
    private static string Html(Corpus corpus, Random random)
    {
        var target = random.Next(MinBodyBytes, MaxBodyBytes);
        var html = new StringBuilder(MaxBodyBytes + 1000);
        var paragraph = 0;
        while (html.Length < target)
        {
            if (paragraph == 3 && random.NextDouble() < 0.6)
            {
                html.Append("<h2>").Append(corpus.Sentence(random, 3, 6).TrimEnd('.')).Append("</h2>\n");
            }
            else if (paragraph == 2 && random.NextDouble() < 0.2)
            {
                html.Append("<blockquote><p>").Append(corpus.Sentence(random, 10, 20)).Append("</p></blockquote>\n");
            }
            else if (paragraph == 4 && random.NextDouble() < 0.2)
            {
                html.Append("<ul>");
                for (var item = random.Next(3, 6); item > 0; item--)
                {
                    html.Append("<li>").Append(corpus.Sentence(random, 4, 10)).Append("</li>");
                }

                html.Append("</ul>\n");
            }

            html.Append("<p>");
            for (var sentence = random.Next(3, 7); sentence > 0; sentence--)
            {
                var text = corpus.Sentence(random, 8, 24);
                switch (random.Next(12))
                {
                    case 0:
                        var words = text.Split(' ');
                        html.Append(string.Join(' ', words[..^2])).Append(" <a href=\"https://bench.example/archive/")
                            .Append(random.Next(100_000)).Append("\">").Append(string.Join(' ', words[^2..])).Append("</a>");
                        break;
                    case 1:
                        html.Append("<strong>").Append(text).Append("</strong>");
                        break;
                    case 2:
                        html.Append("<em>").Append(text).Append("</em>");
                        break;
                    default:
                        html.Append(text);
                        break;
                }

                html.Append(sentence > 1 ? " " : "");
            }

            html.Append("</p>\n");
            paragraph++;
        }

        return html.ToString();
    }

    private static string Letters(int i) => $"{(char)('a' + i / 26)}{(char)('a' + i % 26)}";
}
