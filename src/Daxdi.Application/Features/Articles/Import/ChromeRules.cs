using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Daxdi.Application.Features.Articles.Import;

/// <summary>A chrome rule, compiled: its name (as the report and the configuration name it) and what it matches.</summary>
public sealed record ChromeRule(string Name, string Language, ChromeKind Kind, string Pattern, int? MaxWords, int Following)
{
    public const string SiteNamePlaceholder = "{siteName}";

    /// <summary>Patterns come from operators, texts from scraped pages: a pathological pair gives up instead of pinning a core.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Regex? _fixed = Pattern.Contains(SiteNamePlaceholder, StringComparison.Ordinal) ? null : Compile(Pattern);

    /// <summary>The pattern for one page: <c>{siteName}</c> becomes the escaped names the page may carry.</summary>
    public Regex For(IReadOnlyCollection<string> siteNames) =>
        _fixed ?? Compile(Pattern.Replace(SiteNamePlaceholder,
            siteNames.Count == 0 ? "(?!)" : $"(?:{string.Join('|', siteNames.Select(Regex.Escape))})", StringComparison.Ordinal));

    private static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, MatchTimeout);
}

/// <summary>
/// The configured chrome rules (<see cref="ImportOptions.Rules"/>), checked once at start-up: a pattern that does not
/// compile stops the host with the rule's configuration key, not the first import.
/// </summary>
public sealed class ChromeRules
{
    private const string AnyLanguage = "*";
    private readonly Dictionary<string, ChromeRule[]> _byLanguage;
    private readonly string _fallback;

    public ChromeRules(ImportOptions options)
    {
        _fallback = options.FallbackLanguage.ToLowerInvariant();
        var rules = new List<ChromeRule>();
        foreach (var (language, named) in options.Rules)
        {
            foreach (var (name, rule) in named.Where(r => !string.IsNullOrWhiteSpace(r.Value.Pattern)))
            {
                try
                {
                    rules.Add(new ChromeRule(name, language.ToLowerInvariant(), rule.Kind, rule.Pattern!, rule.MaxWords, rule.Following));
                }
                catch (ArgumentException e)
                {
                    throw new OptionsValidationException(ImportOptions.Section, typeof(ImportOptions),
                        [$"{ImportOptions.Section}:Rules:{language}:{name}:Pattern does not compile: {e.Message}"]);
                }
            }
        }

        _byLanguage = rules.GroupBy(r => r.Language).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Name, StringComparer.Ordinal).ToArray());
    }

    /// <summary>The rules for a page in <paramref name="language"/> (its primary subtag), then those for every language.</summary>
    public IReadOnlyList<ChromeRule> For(string? language)
    {
        var primary = language?.Split('-')[0].ToLowerInvariant();
        var own = primary is not null && _byLanguage.TryGetValue(primary, out var found) ? found
            : _byLanguage.GetValueOrDefault(_fallback, []);
        return [.. own, .. _byLanguage.GetValueOrDefault(AnyLanguage, [])];
    }
}
