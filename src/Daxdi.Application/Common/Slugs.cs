using System.Text;
using AnyAscii;

namespace Daxdi.Application.Common;

/// <summary>URL slugs from human text: transliterated to ASCII, lowercase kebab, cut at a word boundary.</summary>
public static class Slugs
{
    public const string Fallback = "untitled";

    /// <summary><c>"Ça coûte 10 €!"</c> → <c>"ca-coute-10-eur"</c>.</summary>
    public static string From(string text, int maxLength)
    {
        var ascii = text.Transliterate().ToLowerInvariant();
        var slug = new StringBuilder(ascii.Length);
        foreach (var c in ascii)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = Truncate(slug.ToString().Trim('-'), maxLength);
        return result.Length == 0 ? Fallback : result;
    }

    /// <summary>
    /// <paramref name="slug"/> itself when free, else the first of <c>slug-2</c>, <c>slug-3</c>, … that is
    /// neither taken nor reserved, still within <paramref name="maxLength"/>.
    /// </summary>
    public static string FirstFree(string slug, int maxLength, Func<string, bool> unavailable)
    {
        if (!unavailable(slug))
        {
            return slug;
        }

        for (var n = 2; ; n++)
        {
            var suffix = $"-{n}";
            var candidate = Truncate(slug, maxLength - suffix.Length) + suffix;
            if (!unavailable(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Truncate(string slug, int maxLength)
    {
        if (slug.Length <= maxLength)
        {
            return slug;
        }

        var cut = slug[..maxLength];
        var lastHyphen = cut.LastIndexOf('-');
        return (lastHyphen > maxLength / 2 ? cut[..lastHyphen] : cut).Trim('-');
    }
}
