using System.Globalization;
using System.Numerics;
using Daxdi.Domain.Common;

namespace Daxdi.Domain.Payments;

/// <summary>
/// Fiat-to-satoshi conversion and BTC formatting with integer arithmetic only: no floating point touches an amount.
/// </summary>
public static class BitcoinAmounts
{
    public const long SatoshisPerBitcoin = 100_000_000;

    /// <summary>21 million BTC: no amount can be larger.</summary>
    public const long MaxSatoshis = 21_000_000 * SatoshisPerBitcoin;

    /// <summary>The highest ISO 4217 minor-unit exponent (CLF, UYW).</summary>
    public const int MaxCurrencyExponent = 4;

    /// <summary>
    /// The satoshis that pay <paramref name="fiatMinor"/> minor units at <paramref name="fiatPerBtc"/>, rounded up once:
    /// the least integer <c>sats</c> with <c>sats × rate ≥ fiatMinor × 10^8 / 10^exponent</c>, so the merchant never
    /// receives less than the price.
    /// </summary>
    /// <remarks>
    /// The rate is taken apart exactly into its integer mantissa and decimal scale (<c>rate = m / 10^s</c>), which turns
    /// the inequality into <c>sats × m × 10^exponent ≥ fiatMinor × 10^8 × 10^s</c> over integers: one ceiling division,
    /// no intermediate rounding. (A decimal quotient would be rounded at 28 significant digits before the ceiling.)
    /// </remarks>
    public static long ToSatoshis(long fiatMinor, int currencyExponent, decimal fiatPerBtc)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fiatMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(currencyExponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(currencyExponent, MaxCurrencyExponent);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fiatPerBtc);

        var (mantissa, scale) = Decompose(fiatPerBtc);
        var numerator = fiatMinor * (BigInteger)SatoshisPerBitcoin * BigInteger.Pow(10, scale);
        var denominator = mantissa * BigInteger.Pow(10, currencyExponent);
        var sats = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (!remainder.IsZero)
        {
            sats += 1;
        }

        if (sats > MaxSatoshis)
        {
            throw DomainException.InvalidState("payment_intent.amount_out_of_range",
                "The price converts to more bitcoin than can exist; the exchange rate is wrong.");
        }

        return (long)sats;
    }

    /// <summary>The amount in BTC with exactly 8 decimals and a dot, as BIP21 and wallets read it: 12345 → "0.00012345".</summary>
    public static string FormatBtc(long sats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sats);
        var whole = sats / SatoshisPerBitcoin;
        var fraction = sats % SatoshisPerBitcoin;
        return string.Create(CultureInfo.InvariantCulture, $"{whole}.{fraction:D8}");
    }

    /// <summary>A positive decimal as its exact integer mantissa and power-of-ten scale.</summary>
    private static (BigInteger Mantissa, int Scale) Decompose(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        return (mantissa, scale);
    }
}
