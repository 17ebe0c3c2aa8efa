namespace Daxdi.Domain.Payments;

/// <summary>
/// A fiat-per-BTC rate as a rate provider quoted it: what an intent locks. The value is rounded once to
/// <see cref="PaymentRules.RateDecimals"/> decimals here, so the rate stored with an intent is exactly the one its
/// amount was computed from and anyone can recompute the amount from the stored fields.
/// </summary>
public sealed record ExchangeRate
{
    public ExchangeRate(string currency, decimal fiatPerBtc, string source, DateTime at)
    {
        if (!FiatCurrencies.IsSupported(currency))
        {
            throw new ArgumentException($"'{currency}' is not a supported currency.", nameof(currency));
        }

        var rounded = decimal.Round(fiatPerBtc, PaymentRules.RateDecimals, MidpointRounding.ToEven);
        if (rounded <= 0 || rounded > PaymentRules.MaxRate)
        {
            throw new ArgumentOutOfRangeException(nameof(fiatPerBtc), fiatPerBtc,
                $"A rate must be positive and at most {PaymentRules.MaxRate} once rounded to {PaymentRules.RateDecimals} decimals.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(source.Length, PaymentRules.RateSourceMaxLength, nameof(source));
        Currency = currency;
        FiatPerBtc = rounded;
        Source = source;
        At = at;
    }

    /// <summary>ISO 4217 code of the fiat side.</summary>
    public string Currency { get; }

    /// <summary>Units (not minor units) of <see cref="Currency"/> per bitcoin, e.g. 40500.00 EUR.</summary>
    public decimal FiatPerBtc { get; }

    /// <summary>Who quoted it (a provider name, or <c>config</c> for the fixed table).</summary>
    public string Source { get; }

    /// <summary>When the provider quoted it.</summary>
    public DateTime At { get; }

    /// <summary>Whether the rate is at most <paramref name="maxAge"/> old at <paramref name="now"/>.</summary>
    public bool IsFresh(DateTime now, TimeSpan maxAge) => now - At <= maxAge;
}
