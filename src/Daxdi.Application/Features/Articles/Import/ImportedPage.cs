using System.Text;
using System.Text.RegularExpressions;
using Daxdi.Application.Common;
using Daxdi.Domain.Common;

namespace Daxdi.Application.Features.Articles.Import;

/// <summary>What an import accepts: a scraped page as HTML or as plain text.</summary>
public enum PageFormat
{
    Html,
    Text,
}

/// <summary>
/// A scraped page decoded to text: the charset named by <c>Content-Type</c>, else (HTML) by its <c>&lt;meta charset&gt;</c>,
/// else UTF-8 (a byte-order mark wins over both). Bytes that are not text in that charset are refused, not replaced,
/// so an editor never gets a draft full of U+FFFD.
/// </summary>
public sealed partial record ImportedPage(PageFormat Format, string Text)
{
    /// <summary>The largest body an import reads: a saved news page with inline styles and scripts is well under it.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    public const string EmptyCode = "import.empty";
    public const string BinaryCode = "import.binary";
    public const string CharsetCode = "import.unknown_charset";
    public const string UndecodableCode = "import.undecodable";

    static ImportedPage() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decodes <paramref name="bytes"/>; a <see cref="DomainException"/> (400) names why it is not a page.</summary>
    public static ImportedPage Decode(PageFormat format, ReadOnlySpan<byte> bytes, string? charset)
    {
        if (bytes.IsEmpty || IsBlank(bytes))
        {
            throw DomainException.Invalid(EmptyCode, "The body is empty: send the page's HTML or text.");
        }

        if (bytes.Contains((byte)0))
        {
            throw DomainException.Invalid(BinaryCode, "The body is binary (it holds NUL bytes), not an HTML or text page.");
        }

        var encoding = EncodingOf(format, bytes, charset, out var preamble);
        string text;
        try
        {
            text = encoding.GetString(bytes[preamble..]);
        }
        catch (DecoderFallbackException)
        {
            throw DomainException.Invalid(UndecodableCode,
                $"The body is not valid {encoding.WebName}; send the charset it is written in (Content-Type: …; charset=…).");
        }

        if (TextRules.IndexOfForbidden(text) >= 0)
        {
            throw DomainException.Invalid(BinaryCode, "The body holds control characters, so it is not an HTML or text page.");
        }

        return string.IsNullOrWhiteSpace(text)
            ? throw DomainException.Invalid(EmptyCode, "The body is empty: send the page's HTML or text.")
            : new ImportedPage(format, text);
    }

    private static Encoding EncodingOf(PageFormat format, ReadOnlySpan<byte> bytes, string? charset, out int preamble)
    {
        preamble = 0;
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            preamble = Encoding.UTF8.Preamble.Length;
            return Strict("utf-8");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            preamble = 2;
            return Strict(bytes[0] == 0xFF ? "utf-16le" : "utf-16be");
        }

        if (string.IsNullOrWhiteSpace(charset) && format == PageFormat.Html)
        {
            // The declaration must sit in the first 1024 bytes (HTML's prescan), in ASCII.
            var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 1024)]);
            charset = MetaCharset().Match(head) is { Success: true } m ? m.Groups["charset"].Value : null;
        }

        return Strict(string.IsNullOrWhiteSpace(charset) ? "utf-8" : charset.Trim().Trim('"', '\''));
    }

    private static Encoding Strict(string name)
    {
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            throw DomainException.Invalid(CharsetCode, $"The charset '{name}' is not one this API can decode; send UTF-8.");
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    [GeneratedRegex("""<meta[^>]+charset\s*=\s*["']?(?<charset>[\w.:-]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaCharset();
}
