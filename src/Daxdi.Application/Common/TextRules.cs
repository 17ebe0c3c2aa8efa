using System.Buffers;
using FluentValidation;

namespace Daxdi.Application.Common;

/// <summary>Which characters a client's text may hold.</summary>
public static class TextRules
{
    // C0 controls but tab, LF and CR; DEL and the C1 controls; the noncharacters U+FFFE and U+FFFF.
    private static readonly SearchValues<char> Forbidden = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c),
         .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c), '\uFFFE', '\uFFFF']);

    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\t\n\r\u2028\u2029");

    /// <summary>
    /// The index of the first character no text of this API may hold (a control character other than tab and line
    /// breaks, a noncharacter, or half of a surrogate pair), or -1.
    /// </summary>
    public static int IndexOfForbidden(ReadOnlySpan<char> text)
    {
        var at = text.IndexOfAny(Forbidden);
        var surrogate = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0 || (at >= 0 && at < surrogate))
        {
            return at;
        }

        for (var i = surrogate; i < text.Length && (at < 0 || i < at); i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return at;
    }

    /// <summary>Names, titles and labels: one line, no tabs.</summary>
    public static IRuleBuilderOptions<T, TText> SingleLine<T, TText>(this IRuleBuilder<T, TText> rule) =>
        rule.Must(v => v is not string text || !text.AsSpan().ContainsAny(LineBreaks))
            .WithMessage("'{PropertyName}' must be a single line of text, without tabs or line breaks.");
}
