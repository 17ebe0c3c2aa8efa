using System.Globalization;
using System.Numerics;
using Daxdi.Domain.Common;
using Daxdi.Domain.Payments;

namespace Daxdi.Tests.Payments.Domain;

/// <summary>Fiat to satoshis, rounded up once with integer arithmetic, and BTC strings.</summary>
public sealed class BitcoinAmountsTests
{
    [Theory]
    [InlineData(500, 2, "40500.00", 12_346)] // 5.00 EUR = 12,345.68 sats
    [InlineData(500, 2, "50000", 10_000)] // exact: not rounded up
    [InlineData(100, 2, "50000", 2_000)]
    [InlineData(1, 2, "1", 1_000_000)] // 0.01 at 1 per BTC
    [InlineData(1, 2, "3", 333_334)] // 333,333.33…
    [InlineData(500, 0, "15000000", 3_334)] // 500 JPY
    [InlineData(210_000, 2, "30000", 7_000_000)] // exactly 0.07 BTC
    [InlineData(100_000_000, 2, "0.01", long.MaxValue)] // 1,000,000.00 at 0.01 per BTC: more than 21 million BTC
    public void ToSatoshis_is_the_ceiling_of_the_exact_quotient(long fiatMinor, int exponent, string rate, long expected)
    {
        var fiatPerBtc = decimal.Parse(rate, CultureInfo.InvariantCulture);
        if (expected > BitcoinAmounts.MaxSatoshis)
        {
            Assert.Throws<DomainException>(() => BitcoinAmounts.ToSatoshis(fiatMinor, exponent, fiatPerBtc));
            return;
        }

        Assert.Equal(expected, BitcoinAmounts.ToSatoshis(fiatMinor, exponent, fiatPerBtc));
    }

    [Fact]
    public void An_exact_price_is_not_rounded_up_where_floating_point_would_be()
    {
        // 2,100.00 EUR at 30,000 EUR/BTC is exactly 0.07 BTC. In double, 2100 / 30000 * 1e8 = 7000000.000000001, whose
        // ceiling charges the visitor one satoshi too many: the reason no double touches an amount.
        var viaDouble = (long)Math.Ceiling(210_000 / 100.0 / 30_000.0 * 1e8);
        Assert.Equal(7_000_001, viaDouble);

        Assert.Equal(7_000_000, BitcoinAmounts.ToSatoshis(210_000, 2, 30_000m));
    }

    [Fact]
    public void Thousands_of_random_prices_and_rates_round_up_exactly_once()
    {
        var random = new Random(20261128);
        var exponents = new[] { 0, 2, 3, 4 };
        var checkedCases = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var fiatMinor = random.NextInt64(1, PaymentRules.MaxPriceMinor + 1);
            var exponent = exponents[random.Next(exponents.Length)];
            var rate = RandomRate(random);

            var expected = LeastSatoshis(fiatMinor, exponent, rate);
            if (expected > BitcoinAmounts.MaxSatoshis)
            {
                var error = Assert.Throws<DomainException>(() => BitcoinAmounts.ToSatoshis(fiatMinor, exponent, rate));
                Assert.Equal("payment_intent.amount_out_of_range", error.Code);
                continue;
            }

            var sats = BitcoinAmounts.ToSatoshis(fiatMinor, exponent, rate);
            Assert.True(IsLeastCovering(sats, fiatMinor, exponent, rate),
                $"{fiatMinor} minor units (exponent {exponent}) at {rate}: got {sats}, expected {expected}");
            checkedCases++;
        }

        Assert.True(checkedCases > 15_000, $"only {checkedCases} cases were in range");
    }

    [Fact]
    public void Prices_that_are_exact_multiples_are_never_rounded_up()
    {
        // fiat = rate × j cents at an integer rate is exactly j × 0.01 BTC: the ceiling must not add a satoshi.
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var rate = random.Next(1_000, 200_001);
            var j = random.Next(1, 400);
            Assert.Equal(j * 1_000_000L, BitcoinAmounts.ToSatoshis((long)rate * j, 2, rate));
        }
    }

    [Fact]
    public void One_minor_unit_more_never_costs_fewer_satoshis()
    {
        var random = new Random(11);
        for (var i = 0; i < 5_000; i++)
        {
            var rate = RandomRate(random, maxWhole: 500_000);
            var fiat = random.NextInt64(1, 1_000_000);
            Assert.True(BitcoinAmounts.ToSatoshis(fiat + 1, 2, rate) >= BitcoinAmounts.ToSatoshis(fiat, 2, rate));
        }
    }

    [Fact]
    public void ToSatoshis_refuses_what_is_not_a_price()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BitcoinAmounts.ToSatoshis(0, 2, 50_000m));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitcoinAmounts.ToSatoshis(-1, 2, 50_000m));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitcoinAmounts.ToSatoshis(100, 2, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitcoinAmounts.ToSatoshis(100, 2, -5m));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitcoinAmounts.ToSatoshis(100, 5, 50_000m));
        var error = Assert.Throws<DomainException>(() => BitcoinAmounts.ToSatoshis(PaymentRules.MaxPriceMinor, 2, 0.00000001m));
        Assert.Equal("payment_intent.amount_out_of_range", error.Code);
    }

    [Theory]
    [InlineData(0, "0.00000000")]
    [InlineData(1, "0.00000001")]
    [InlineData(12_345, "0.00012345")]
    [InlineData(10_000, "0.00010000")]
    [InlineData(100_000_000, "1.00000000")]
    [InlineData(123_456_789_012, "1234.56789012")]
    [InlineData(BitcoinAmounts.MaxSatoshis, "21000000.00000000")]
    public void FormatBtc_writes_eight_decimals_with_a_dot(long sats, string expected) =>
        Assert.Equal(expected, BitcoinAmounts.FormatBtc(sats));

    [Fact]
    public void FormatBtc_ignores_the_current_culture_and_refuses_negatives()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("1234.56789012", BitcoinAmounts.FormatBtc(123_456_789_012));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => BitcoinAmounts.FormatBtc(-1));
    }

    [Fact]
    public void FormatBtc_round_trips_through_decimal()
    {
        var random = new Random(3);
        for (var i = 0; i < 2_000; i++)
        {
            var sats = random.NextInt64(0, BitcoinAmounts.MaxSatoshis + 1);
            var btc = decimal.Parse(BitcoinAmounts.FormatBtc(sats), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            Assert.Equal(sats, btc * BitcoinAmounts.SatoshisPerBitcoin);
        }
    }

    [Theory]
    [InlineData("EUR", 2)]
    [InlineData("USD", 2)]
    [InlineData("GBP", 2)]
    [InlineData("CHF", 2)]
    [InlineData("JPY", 0)]
    [InlineData("ISK", 0)]
    public void Currencies_have_their_iso_4217_exponent(string code, int exponent)
    {
        Assert.True(FiatCurrencies.IsSupported(code));
        Assert.Equal(exponent, FiatCurrencies.Exponent(code));
    }

    [Theory]
    [InlineData("XBT")]
    [InlineData("eur")]
    [InlineData("BHD")]
    [InlineData("")]
    public void Unknown_currencies_are_refused(string code)
    {
        Assert.False(FiatCurrencies.IsSupported(code));
        var error = Assert.Throws<DomainException>(() => FiatCurrencies.Exponent(code));
        Assert.Equal("currency.unsupported", error.Code);
        Assert.Equal(ErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void An_exchange_rate_is_rounded_once_to_eight_decimals_and_must_be_positive()
    {
        Assert.Equal(40_500.12345679m, new ExchangeRate("EUR", 40_500.123456789m, "test", PaymentFixture.Now).FiatPerBtc);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExchangeRate("EUR", 0.000000001m, "test", PaymentFixture.Now));
        Assert.Throws<ArgumentException>(() => new ExchangeRate("XBT", 1m, "test", PaymentFixture.Now));
    }

    /// <summary>A rate of 1 … <paramref name="maxWhole"/> units per BTC with 0 to 8 random decimals.</summary>
    private static decimal RandomRate(Random random, long maxWhole = 2_000_000)
    {
        var scale = random.Next(0, 9);
        var factor = (long)Math.Pow(10, scale); // test data only; the mantissa below is an exact integer
        var mantissa = random.NextInt64(factor, (maxWhole * factor) + 1);
        return new decimal((int)(mantissa & 0xFFFFFFFF), (int)(mantissa >> 32), 0, false, (byte)scale);
    }

    /// <summary>
    /// Whether <paramref name="sats"/> is the least integer with sats × rate ≥ fiat × 10^8 / 10^exp, checked over
    /// BigInteger with the rate read as mantissa / 10^scale through decimal arithmetic (not the production code's bits).
    /// </summary>
    private static bool IsLeastCovering(long sats, long fiatMinor, int exponent, decimal rate)
    {
        var (rateInt, rateScale) = Exact(rate);
        var price = fiatMinor * BigInteger.Pow(10, 8 + rateScale); // fiat × 1e8 × 10^scale
        BigInteger Paid(long s) => s * rateInt * BigInteger.Pow(10, exponent); // s × rate × 10^scale × 10^exp
        return Paid(sats) >= price && (sats == 0 || Paid(sats - 1) < price);
    }

    private static BigInteger LeastSatoshis(long fiatMinor, int exponent, decimal rate)
    {
        var (rateInt, rateScale) = Exact(rate);
        var price = fiatMinor * BigInteger.Pow(10, 8 + rateScale);
        var per = rateInt * BigInteger.Pow(10, exponent);
        return (price + per - 1) / per;
    }

    private static (BigInteger Mantissa, int Scale) Exact(decimal rate)
    {
        var scale = rate.Scale;
        var mantissa = new BigInteger(rate * (decimal)BigInteger.Pow(10, scale));
        Assert.Equal(rate, (decimal)mantissa / (decimal)BigInteger.Pow(10, scale));
        return (mantissa, scale);
    }
}
