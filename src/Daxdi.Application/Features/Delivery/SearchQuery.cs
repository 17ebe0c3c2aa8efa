using System.Text;
using FluentValidation;
using FluentValidation.Results;

namespace Daxdi.Application.Features.Delivery;

/// <summary>One word or quoted phrase of a search; its text holds only letters, digits and single spaces.</summary>
public sealed record SearchTerm(string Text, bool Phrase, bool Prefix, bool Excluded);

/// <summary>
/// A reader's search, in the syntax of web search boxes: words must all match, <c>"quoted phrases"</c> match in order,
/// <c>OR</c> between words offers alternatives, <c>-word</c> excludes and <c>word*</c> matches a prefix. Parsed once
/// into this model, which each store's search (<see cref="Abstractions.IArticleSearch"/>) renders in its own engine's
/// syntax, so no user input ever reaches an engine's query syntax.
/// </summary>
public sealed class SearchQuery
{
    public const int MaxLength = 200;
    public const int MaxTerms = 16;

    private SearchQuery(IReadOnlyList<IReadOnlyList<SearchTerm>> alternatives) => Alternatives = alternatives;

    /// <summary>Alternatives joined by OR; each is a set of terms that must all hold.</summary>
    public IReadOnlyList<IReadOnlyList<SearchTerm>> Alternatives { get; }

    /// <summary>Parses <paramref name="q"/>; a malformed query throws a validation error on <c>q</c> (400).</summary>
    public static SearchQuery Parse(string q)
    {
        if (q.Length > MaxLength)
        {
            throw Invalid($"'q' must be at most {MaxLength} characters.");
        }

        var alternatives = new List<IReadOnlyList<SearchTerm>>();
        var current = new List<SearchTerm>();
        var count = 0;
        var i = 0;
        while (i < q.Length)
        {
            if (char.IsWhiteSpace(q[i]))
            {
                i++;
                continue;
            }

            var excluded = q[i] == '-' && i + 1 < q.Length && !char.IsWhiteSpace(q[i + 1]);
            if (excluded)
            {
                i++;
            }

            string text;
            bool phrase;
            if (q[i] == '"')
            {
                var end = q.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw Invalid("'q' has an opening quote without a closing one.");
                }

                text = q[(i + 1)..end];
                phrase = true;
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < q.Length && !char.IsWhiteSpace(q[end]) && q[end] != '"')
                {
                    end++;
                }

                text = q[i..end];
                phrase = false;
                i = end;
            }

            if (!phrase && !excluded && text == "OR")
            {
                if (current.Count == 0)
                {
                    throw Invalid("'q' has OR without a word on each side.");
                }

                alternatives.Add(current);
                current = [];
                continue;
            }

            var prefix = i < q.Length && q[i] == '*' || text.EndsWith('*');
            if (i < q.Length && q[i] == '*')
            {
                i++;
            }

            text = Normalize(text.TrimEnd('*'));
            if (text.Length == 0)
            {
                continue;
            }

            if (++count > MaxTerms)
            {
                throw Invalid($"'q' may have at most {MaxTerms} words and phrases.");
            }

            current.Add(new SearchTerm(text, phrase, prefix, excluded));
        }

        if (current.Count == 0 && alternatives.Count > 0)
        {
            throw Invalid("'q' has OR without a word on each side.");
        }

        alternatives.Add(current);
        if (alternatives.Any(a => a.All(t => t.Excluded)))
        {
            throw Invalid("'q' needs at least one word to look for (not only -excluded ones).");
        }

        return new SearchQuery(alternatives);
    }

    /// <summary>Letters, digits and single spaces: what every engine tokenizes alike.</summary>
    private static string Normalize(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                result.Append(c);
            }
            else if (result.Length > 0 && result[^1] != ' ')
            {
                result.Append(' ');
            }
        }

        return result.ToString().Trim();
    }

    private static ValidationException Invalid(string message) => new([new ValidationFailure("q", message)]);
}
