namespace Daxdi.Application.Abstractions.Payments;

/// <summary>
/// Fiat prices of one bitcoin, from the configured source: a fixed table from configuration (<c>Bitcoin:Rates</c>,
/// the default) or a public ticker (<c>Bitcoin:RateProvider</c>). How old a rate may be is the caller's rule:
/// <see cref="QuotedRate.ObservedAt"/> says when it was read. Thread-safe.
/// </summary>
public interface IExchangeRates
{
    /// <summary>The price of 1 BTC in <paramref name="currency"/> (ISO 4217, e.g. <c>EUR</c>; case does not matter).</summary>
    /// <exception cref="ExchangeRateException">
    /// <see cref="ExchangeRateErrors.UnsupportedCurrency"/> when the source has no rate for the currency,
    /// <see cref="ExchangeRateErrors.Unavailable"/> when the source failed or answered something else than a price.
    /// </exception>
    Task<QuotedRate> GetRateAsync(string currency, CancellationToken cancellationToken);
}

/// <summary>A fiat price of 1 BTC.</summary>
/// <param name="Currency">ISO 4217 code, upper case.</param>
/// <param name="FiatPerBtc">Major units of <paramref name="Currency"/> for 1 BTC (e.g. 40500.00 EUR); always positive, never a binary float.</param>
/// <param name="Source">Where it came from: <c>config</c>, <c>kraken</c>, <c>coinbase</c>.</param>
/// <param name="ObservedAt">When the source was read: now for the fixed table, the time of the answer for a ticker (a cached rate keeps it).</param>
public sealed record QuotedRate(string Currency, decimal FiatPerBtc, string Source, DateTimeOffset ObservedAt);

/// <summary>No rate could be given; <see cref="Code"/> is one of <see cref="ExchangeRateErrors"/>.</summary>
public sealed class ExchangeRateException(string code, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>A stable problem code.</summary>
    public string Code { get; } = code;
}

/// <summary>The stable problem codes of <see cref="IExchangeRates"/>.</summary>
public static class ExchangeRateErrors
{
    /// <summary>The source has no rate for this currency (not in the table, or not a currency code).</summary>
    public const string UnsupportedCurrency = "rate.unsupported_currency";

    /// <summary>The source failed or answered something that is not a price.</summary>
    public const string Unavailable = "rate.unavailable";
}
