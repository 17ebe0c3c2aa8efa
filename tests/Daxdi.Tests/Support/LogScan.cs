using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Daxdi.Tests.Support;

/// <summary>
/// Scans what a host logged (messages, scopes and exceptions, as the production console writes them) for what must
/// never be logged: API key secrets, any secret a test was shown, full client IP addresses, and query strings.
/// </summary>
public static partial class LogScan
{
    /// <summary>One finding per leaking entry and kind, with the entry's text (the secret itself masked).</summary>
    public static List<string> Find(IEnumerable<CapturedLog> logs, IEnumerable<string> secrets)
    {
        var known = secrets.Where(s => s.Length >= 8).Distinct().ToList();
        var findings = new List<string>();
        foreach (var log in logs)
        {
            var text = log.Text;
            var kinds = new List<string>();
            if (ApiKey().IsMatch(text))
            {
                kinds.Add("API key secret");
            }

            if (known.FirstOrDefault(s => text.Contains(s, StringComparison.Ordinal)) is { } secret && !ApiKey().IsMatch(secret))
            {
                kinds.Add("secret shown to a client");
            }

            if (FullAddress(text) is { } address)
            {
                kinds.Add($"full client address {address}");
            }

            if (QueryString().Match(text) is { Success: true } query)
            {
                kinds.Add($"query string '{Mask(query.Value, known)}'");
            }

            findings.AddRange(kinds.Select(k => $"{k}: [{log.Level} {log.Category}] {Mask(Shorten(text), known)}"));
        }

        return findings;
    }

    /// <summary>Fails with every finding when any log entry leaks.</summary>
    public static void AssertClean(ApiFactory api, IEnumerable<string>? secrets = null)
    {
        var findings = Find(api.Logs, [ApiFactory.AdminKey, .. secrets ?? []]);
        Assert.True(findings.Count == 0,
            $"{findings.Count} log entries leak:\n" + string.Join('\n', findings.Distinct().Take(40)));
    }

    private static string? FullAddress(string text)
    {
        foreach (Match candidate in AddressCandidate().Matches(text))
        {
            if (!IPAddress.TryParse(candidate.Value, out var address))
            {
                continue;
            }

            var bytes = address.GetAddressBytes();
            // Truncated addresses (last IPv4 octet, last 80 bits of IPv6 zeroed) are what may be kept.
            var truncated = address.AddressFamily == AddressFamily.InterNetwork
                ? bytes[3] == 0
                : bytes.AsSpan(6).IndexOfAnyExcept((byte)0) < 0;
            if (!truncated && (address.AddressFamily == AddressFamily.InterNetwork ? candidate.Value.Count(c => c == '.') == 3 : candidate.Value.Contains(':', StringComparison.Ordinal)))
            {
                return candidate.Value;
            }
        }

        return null;
    }

    private static string Mask(string text, List<string> secrets)
    {
        var masked = ApiKey().Replace(text, m => m.Value[..6] + "…(masked)");
        return secrets.Aggregate(masked, (t, s) => t.Replace(s, s[..Math.Min(4, s.Length)] + "…(masked)", StringComparison.Ordinal));
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(@"dx_[A-Za-z0-9]{40,}")]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"(?<![\w.:%])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w.:])")]
    private static partial Regex AddressCandidate();

    /// <summary>A URL or path followed by <c>?</c>: a logged query string.</summary>
    [GeneratedRegex(@"(?:https?://[^\s?""']+|(?<![\w])/[\w\-.~%/{}]*)\?[^\s""']*")]
    private static partial Regex QueryString();
}
