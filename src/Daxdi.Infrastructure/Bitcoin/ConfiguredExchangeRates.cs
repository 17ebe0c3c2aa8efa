using System.Globalization;
using Daxdi.Application.Abstractions.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>
/// <see cref="IExchangeRates"/> from the fixed table of configuration section <c>Bitcoin:Rates</c>
/// (<c>{ "EUR": "40500.00", "USD": "43000" }</c>): the default source, and the one for tests and demos.
/// Every rate is observed now: the table is as current as its operator keeps it.
/// </summary>
public sealed class ConfiguredExchangeRates(ExchangeRateTable table, TimeProvider clock) : IExchangeRates
{
    public const string SourceName = "config";

    public Task<QuotedRate> GetRateAsync(string currency, CancellationToken cancellationToken)
    {
        var code = ExchangeRateTable.CurrencyCode(currency);
        return table.Rates.TryGetValue(code, out var rate)
            ? Task.FromResult(new QuotedRate(code, rate, SourceName, clock.GetUtcNow()))
            : throw new ExchangeRateException(ExchangeRateErrors.UnsupportedCurrency, $"Bitcoin:Rates has no rate for {code}.");
    }
}

/// <summary>The table of <c>Bitcoin:Rates</c>: fiat per BTC by ISO 4217 code, read once at start-up.</summary>
public sealed class ExchangeRateTable
{
    public const string Section = "Bitcoin:Rates";

    public ExchangeRateTable(IReadOnlyDictionary<string, decimal> rates) => Rates = rates;

    /// <summary>Fiat (major units) per BTC, by upper-case currency code.</summary>
    public IReadOnlyDictionary<string, decimal> Rates { get; }

    /// <summary>
    /// Reads the table: each key a three-letter currency code, each value a positive decimal with a dot and no
    /// thousands separators (<c>40500.00</c>), parsed as a decimal in the invariant culture, never through a binary
    /// float. A JSON number works too: configuration keeps its text.
    /// </summary>
    /// <exception cref="OptionsValidationException">A key or a value is not of that form; the message names each one.</exception>
    public static ExchangeRateTable Read(IConfiguration configuration)
    {
        var rates = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            if (!IsCurrencyCode(entry.Key))
            {
                errors.Add($"{Section}:{entry.Key}: is not a three-letter ISO 4217 currency code.");
            }
            else if (ParseRate(entry.Value) is not { } rate)
            {
                errors.Add($"{Section}:{entry.Key}: must be a positive decimal number like 40500.00 (a dot, no thousands separator).");
            }
            else if (!rates.TryAdd(entry.Key.ToUpperInvariant(), rate))
            {
                errors.Add($"{Section}:{entry.Key}: is given twice.");
            }
        }

        return errors.Count == 0 ? new ExchangeRateTable(rates) : throw new OptionsValidationException(Section, typeof(ExchangeRateTable), errors);
    }

    /// <summary>A positive decimal: digits, at most one dot, nothing else (no sign, exponent, separators or spaces).</summary>
    public static decimal? ParseRate(string? text) =>
        text is { Length: > 0 and <= 40 } && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate > 0
            ? rate
            : null;

    /// <summary>The upper-case code of <paramref name="currency"/>.</summary>
    /// <exception cref="ExchangeRateException"><see cref="ExchangeRateErrors.UnsupportedCurrency"/>: not three letters.</exception>
    internal static string CurrencyCode(string currency) => IsCurrencyCode(currency)
        ? currency.ToUpperInvariant()
        : throw new ExchangeRateException(ExchangeRateErrors.UnsupportedCurrency, "A currency is an ISO 4217 code: three letters.");

    private static bool IsCurrencyCode(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetter);
}
