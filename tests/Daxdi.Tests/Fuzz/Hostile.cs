using System.Text;

namespace Daxdi.Tests.Fuzz;

/// <summary>Values that a careless API trips over; the fuzzer mixes them into every kind of input.</summary>
public static class Hostile
{
    /// <summary>Placeholder that <see cref="Generator.Serialize"/> turns into the escape of a lone surrogate.</summary>
    public const string LoneSurrogate = "@@lone-surrogate@@";

    public static readonly string[] Strings =
    [
        "", " ", "\t\n", "\0", "a\0b", "\u0001\u0002\u001f", "\u007f\u0080\u009f", LoneSurrogate, "x" + LoneSurrogate + "y",
        "\u202e\u0645\u0631\u062d\u0628\u0627", "\ufeffBOM", "👩‍👩‍👧‍👦", "ǅ", "İ", "ß", "ﬃ", "e\u0301",
        "null", "undefined", "true", "0", "-1", "NaN", "1e309", "[]", "{}",
        "'; DROP TABLE Articles; --", "\" OR 1=1 --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "javascript:alert(1)", "${jndi:ldap://x}", "{{7*7}}", "%s%s%n", "../../../../etc/passwd", "..\\..\\windows",
        "%2e%2e%2f", "a/b", "a\\b", "~", ".", "..", "CON", "nul.txt",
        new string('a', 201), new string('x', 5_000), new string('é', 70_000), Repeat("word ", 20_000),
        Repeat("<b>", 40) + "bold", "# " + new string('#', 200), "<p>" + Repeat("&amp;", 2_000) + "</p>",
        "https://", "http://[::1]:80/", "http://169.254.169.254/latest/meta-data", "file:///etc/passwd", "mailto:",
        "00000000-0000-0000-0000-000000000000", "2026-02-30T25:61:61Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z",
    ];

    /// <summary>
    /// Deeply nested Markdown and HTML, for the field that holds the most text. HTML nesting stays moderate: the
    /// sanitizer's cost grows with the square of the depth (a known defect); the deep Markdown quote is the exception.
    /// </summary>
    public static readonly string[] DeepMarkup =
    [
        Repeat("> ", 1_000) + "quote", Repeat("<div>", 60) + "deep" + Repeat("</div>", 60), Repeat("<ul><li>", 30) + "item",
        Repeat("[", 500) + "link", Repeat("*", 3_000), Repeat("- ", 200) + "item", Repeat("<table><tr><td>", 20) + "cell",
        Repeat("**a ", 2_000), Repeat("`", 1_000), "<" + Repeat("a", 10_000) + ">",
    ];

    /// <summary>Search syntax of FTS5, tsquery, Lucene and SQL, for <c>q</c>-like parameters.</summary>
    public static readonly string[] Search =
    [
        "\"unclosed", "\"\"", "\"a\" \"b", "NEAR(bridge buses, 2)", "bridge NEAR/3 buses", "title:bridge", "body : x",
        "{title body}: bridge", "bridge*", "*", "**", "*bridge", "^bridge", "bridge^2", "a OR", "OR", "OR OR OR", "AND",
        "NOT bridge", "a AND NOT b", "-", "--", "- -", "-\"x\"", "(bridge)", "((((", ")))", "a | b", "a & !b", "a:*", "a <-> b",
        "!!!", "'", "''", "\\", "\\\"", "%", "_", "a%b", "[a-z]", "+bridge +buses", "bridge~", "bridge~0.5",
        "\0", "bridge\0buses", string.Join(' ', Enumerable.Range(0, 17).Select(i => $"w{i}")), new string('q', 201),
        string.Join(" OR ", Enumerable.Range(0, 40).Select(i => $"t{i}*")), "MATCH", "rank", "bm25(x)",
    ];

    /// <summary>
    /// Already percent-encoded path and query values (traversal, encoded slashes, broken UTF-8). Bare dot segments
    /// are left out: clients and Kestrel resolve them before routing, so they would only call another operation.
    /// </summary>
    public static readonly string[] Encoded =
    [
        "..%2F..%2Fadmin", "%2e%2e%2fadmin", "%2e%2e%5c", "..%5c..%5c", "a%2Fb", "%2F", "%252F", "%00", "a%00b",
        "%25", "%", "%zz", "%C0%AE%C0%AE", "%ED%A0%80", "%FF%FE", "%C0%80", "%0D%0AX-Injected:%201", "%20", "+",
        "%F0%9F%98%80", "%E2%80%AE", ";", "a;b=c", "%3F", "%23", "%3B", "~", "*", "$",
    ];

    public static readonly string[] Guids =
    [
        "not-a-guid", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "019ac8f0",
        "019ac8f0-0000-7000-8000-00000000000", "019ac8f0-0000-7000-8000-0000000000000", "{019ac8f0-0000-7000-8000-000000000000}",
        "019ac8f000007000800000000000000g", "019AC8F0-0000-7000-8000-000000000000", " 019ac8f0-0000-7000-8000-000000000000",
    ];

    public static readonly string[] Cursors =
    [
        "not-a-cursor", "", "=", "====", "W10", "WyJhIl0", "WyJhIiwiYiJd", "WyIiLCIiXQ", "eyJhIjoxfQ", "bnVsbA", "WzEsMl0",
        "WyIyMDI2LTAxLTAxIiwieCJd", "WyInOyBEUk9QIFRBQkxFIHgiLCIxIl0", "AAAA", "////", "+/+/", new string('A', 600),
        "WyIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiXQ",
    ];

    public static readonly string[] Dates =
    [
        "yesterday", "2026-13-45", "2026-02-30", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-01T00:00:00+25:00",
        "2026-01-01T00:00:00", "2026-01-01 00:00:00", "1e10", "-1", "2026-W01", "2026-01-01T24:00:00Z", "+275760-09-13T00:00:00Z",
    ];

    public static readonly string[] Numbers =
    [
        "abc", "", "-1", "0", "2147483648", "-2147483649", "99999999999999999999", "1.5", "1e3", "0x10", " 5", "5 ", "NaN",
        "Infinity", "1,2", "١٢",
    ];

    public static readonly string[] Booleans = ["maybe", "1", "0", "yes", "TRUE ", "", "null"];

    public static readonly string[] IfMatch =
    [
        "*", "W/\"1\"", "1", "\"abc\"", "\"999999\"", "\"0\"", "\"-1\"", "\"1", "\"1\", \"2\"", "\"\"", "\"1\"x", "W/",
        "\"" + new string('9', 5_000) + "\"", "\"2147483648\"", "\"１\"",
    ];

    public static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/merge-patch+json", "application/json; charset=latin1",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/jsonx", "application/*", "*/*", "text/json", "application/problem+json",
    ];

    public static readonly string[] Accepts =
    [
        "application/xml", "text/html", "image/webp", "*/*", "text/plain", "application/problem+json",
        "application/json;q=0", "garbage", "text/html, application/xml;q=0.9", "application/json; charset=latin1",
    ];

    public static readonly string[] Authorizations =
    [
        "Bearer dx_000000000000000000000000000000000000000000", "Bearer dx_short", "Bearer", "Bearer ", "Basic YTpi",
        "Bearer not-a-key", "Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.", "dx_nobearer",
    ];

    public static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
