using System.Collections.Frozen;
using Daxdi.Domain.Common;

namespace Daxdi.Domain.Payments;

/// <summary>
/// The fiat currencies offers may be priced in, with their ISO 4217 minor-unit exponent (EUR 2: 500 = 5.00 EUR;
/// JPY 0: 500 = 500 JPY). A short explicit table: a currency missing here is refused rather than guessed.
/// </summary>
public static class FiatCurrencies
{
    private static readonly FrozenDictionary<string, int> Exponents = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AUD"] = 2,
        ["CAD"] = 2,
        ["CHF"] = 2,
        ["CZK"] = 2,
        ["DKK"] = 2,
        ["EUR"] = 2,
        ["GBP"] = 2,
        ["HUF"] = 2, // ISO 4217 says 2 although cash has no fillér any more
        ["ISK"] = 0,
        ["JPY"] = 0,
        ["KRW"] = 0,
        ["NOK"] = 2,
        ["NZD"] = 2,
        ["PLN"] = 2,
        ["RON"] = 2,
        ["SEK"] = 2,
        ["USD"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The supported codes, in alphabetical order.</summary>
    public static IReadOnlyList<string> Codes { get; } = [.. Exponents.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="code"/> is a supported ISO 4217 code, in upper case.</summary>
    public static bool IsSupported(string? code) => code is not null && Exponents.ContainsKey(code);

    /// <summary>The number of decimals of the currency's minor unit; refuses a currency that is not supported.</summary>
    public static int Exponent(string code) =>
        Exponents.TryGetValue(code, out var exponent)
            ? exponent
            : throw DomainException.Invalid("currency.unsupported",
                $"'{code}' is not a supported currency. Supported: {string.Join(", ", Codes)}.");
}
