using System.Text;

namespace Daxdi.Benchmarks;

/// <summary>
/// Deterministic pseudo-English: a vocabulary ranked by frequency and drawn with a Zipf law, so common words are in
/// every article while a rarer word is in a fraction of a percent of them, as in real news text. The same seed always
/// gives the same vocabulary, so a reused database and a fresh one agree on which words are rare.
/// </summary>
internal sealed class Corpus
{
    public const int VocabularySize = 8000;

    // With 300–900 words per article, exponent 1.15 over 8000 words puts ranks ~1 800–8 000 at 0.3–2 % of articles.
    private const double Exponent = 1.15;

    private static readonly string[] CommonWords =
    [
        "the", "of", "and", "to", "a", "in", "that", "is", "for", "it", "was", "on", "with", "as", "by", "at", "he",
        "she", "they", "from", "this", "have", "had", "not", "are", "but", "or", "an", "were", "which", "their", "been",
        "has", "would", "will", "said", "more", "when", "who", "after", "also", "into", "than", "them", "can", "only",
        "new", "some", "could", "year", "two", "first", "over", "last", "city", "people", "council", "state", "public",
        "police", "government", "school", "week", "plan", "local", "residents", "officials", "million", "report",
        "minister", "company", "market", "water", "housing", "court", "election", "budget", "health", "hospital",
        "project", "workers", "union", "team", "season", "mayor", "district", "river", "bridge", "station", "street",
        "park", "museum", "festival", "energy", "climate", "transport", "board", "vote", "study", "data", "service",
        "centre", "region", "national", "community", "money", "price", "tax", "rules", "changes", "decision",
    ];

    private static readonly string[] Onsets =
        ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "dr", "gr", "pr", "tr", "st", "pl", "kl", "sh", "th"];

    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"];

    // Porter stemming (the FTS5 tokenizer) never strips these endings, so each pseudo-word is its own search term.
    private static readonly string[] Endings = ["a", "o", "ak", "ok", "ip", "ax", "oz", "ub", "af", "ek"];

    private readonly double[] _cumulative;

    public Corpus(int seed = 20261128)
    {
        var random = new Random(seed);
        var words = new List<string>(CommonWords);
        var seen = new HashSet<string>(CommonWords, StringComparer.Ordinal);
        while (words.Count < VocabularySize)
        {
            var word = new StringBuilder();
            for (var syllables = random.Next(1, 4); syllables > 0; syllables--)
            {
                word.Append(Pick(random, Onsets)).Append(Pick(random, Vowels));
            }

            word.Append(Pick(random, Onsets)).Append(Pick(random, Endings));
            if (seen.Add(word.ToString()))
            {
                words.Add(word.ToString());
            }
        }

        Words = words;
        _cumulative = ZipfWeights(VocabularySize, Exponent);
    }

    /// <summary>The vocabulary, most frequent first.</summary>
    public IReadOnlyList<string> Words { get; }

    public string Word(Random random) => Words[Zipf(random, _cumulative)];

    /// <summary>An index drawn with the weights of <paramref name="cumulative"/> (see <see cref="ZipfWeights"/>).</summary>
    public static int Zipf(Random random, double[] cumulative)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    /// <summary>Cumulative Zipf weights: item i has weight 1/(i+1)^exponent.</summary>
    public static double[] ZipfWeights(int count, double exponent)
    {
        var cumulative = new double[count];
        var total = 0.0;
        for (var i = 0; i < count; i++)
        {
            total += 1 / Math.Pow(i + 1, exponent);
            cumulative[i] = total;
        }

        return cumulative;
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public List<string> Draw(Random random, int count)
    {
        var words = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            words.Add(Word(random));
        }

        return words;
    }

    public string Sentence(Random random, int minWords, int maxWords)
    {
        var text = string.Join(' ', Draw(random, random.Next(minWords, maxWords + 1)));
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    /// <summary>
    /// A Markdown body of about <paramref name="wordCount"/> words: two or three paragraphs, sometimes a list after the
    /// first and a <c>##</c> heading before the last.
    /// </summary>
    public string Body(Random random, int wordCount)
    {
        var markdown = new StringBuilder();
        var paragraphs = random.Next(2, 4);
        for (var p = 0; p < paragraphs; p++)
        {
            if (p == paragraphs - 1 && random.NextDouble() < 0.3)
            {
                markdown.Append("## ").Append(Sentence(random, 3, 6).TrimEnd('.')).Append("\n\n");
            }

            var words = 0;
            var target = wordCount / paragraphs;
            while (words < target)
            {
                var length = Math.Min(random.Next(8, 25), Math.Max(target - words, 4));
                markdown.Append(Sentence(random, length, length)).Append(' ');
                words += length;
            }

            markdown.Length--;
            markdown.Append("\n\n");
            if (p == 0 && random.NextDouble() < 0.25)
            {
                for (var item = random.Next(3, 6); item > 0; item--)
                {
                    markdown.Append("- ").Append(Sentence(random, 4, 10)).Append('\n');
                }

                markdown.Append('\n');
            }
        }

        return markdown.ToString().TrimEnd() + "\n";
    }
}
