using System.Text.RegularExpressions;
using AnyAscii;

namespace Daxdi.Application.Features.Articles.Similarity;

/// <summary>
/// A MinHash signature of a text: its word 3-shingles (after transliteration and lower-casing, so case, accents and
/// punctuation do not count), each hashed by <see cref="Length"/> seeded functions, keeping the minimum of each. The
/// share of positions where two signatures agree estimates the Jaccard similarity of their shingle sets. Hashes are
/// FNV-1a and SplitMix64, stable across processes and machines (unlike <c>string.GetHashCode</c>).
/// </summary>
public static partial class TextSignature
{
    public const int Length = 128;

    /// <summary>Locality-sensitive hashing: 32 bands of 4 values. Two texts at Jaccard 0.5 share a band 87% of the time, at 0.8 always.</summary>
    public const int Bands = 32;

    public const int RowsPerBand = Length / Bands;

    private const int ShingleWords = 3;

    private static readonly ulong[] Seeds = [.. Enumerable.Range(1, Length).Select(i => Mix((ulong)i * 0x9E3779B97F4A7C15UL))];

    /// <summary>The signature of <paramref name="text"/>; an empty text has none.</summary>
    public static uint[]? Of(string text)
    {
        var words = Word().Matches(text.Transliterate().ToLowerInvariant()).Select(m => m.Value).ToArray();
        if (words.Length == 0)
        {
            return null;
        }

        var size = Math.Min(ShingleWords, words.Length);
        var signature = new uint[Length];
        Array.Fill(signature, uint.MaxValue);
        for (var start = 0; start + size <= words.Length; start++)
        {
            var shingle = Fnv(words.AsSpan(start, size));
            for (var i = 0; i < Length; i++)
            {
                var value = (uint)(Mix(shingle ^ Seeds[i]) >> 32);
                if (value < signature[i])
                {
                    signature[i] = value;
                }
            }
        }

        return signature;
    }

    /// <summary>The estimated Jaccard similarity of two signatures' texts, 0 to 1.</summary>
    public static double Similarity(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var equal = 0;
        for (var i = 0; i < Length; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }

        return equal / (double)Length;
    }

    /// <summary>The key of band <paramref name="band"/>: texts that share one are candidates.</summary>
    public static ulong BandKey(ReadOnlySpan<uint> signature, int band)
    {
        var key = (ulong)band * 0xD6E8FEB86659FD93UL;
        foreach (var value in signature.Slice(band * RowsPerBand, RowsPerBand))
        {
            key = Mix(key ^ value);
        }

        return key;
    }

    private static ulong Fnv(ReadOnlySpan<string> words)
    {
        var hash = 14695981039346656037UL;
        foreach (var word in words)
        {
            foreach (var c in word)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ ' ') * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex Word();
}
