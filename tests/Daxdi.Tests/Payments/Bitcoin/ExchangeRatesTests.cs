using System.Globalization;
using System.Text;
using Daxdi.Application.Abstractions.Payments;
using Daxdi.Infrastructure.Bitcoin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Payments.Bitcoin;

/// <summary>
/// Exchange rates from the fixed table of <c>Bitcoin:Rates</c> (decimals read in the invariant culture, observed now)
/// and from the Kraken and Coinbase tickers over real HTTP against <see cref="FakeTicker"/> (fields checked, cached
/// with their observation time, failures retried and then reported, never replaced by the table).
/// </summary>
public sealed class ExchangeRatesTests
{
    private const string KrakenEur = """
        {"error":[],"result":{"XXBTZEUR":{"a":["40501.00000","1","1.000"],"b":["40500.00000","2","2.000"],
        "c":["40500.10000","0.00100000"],"v":["100.1","200.2"],"p":["40400.1","40300.2"],"t":[1000,2000],
        "l":["40000.0","39000.0"],"h":["41000.0","42000.0"],"o":"40100.00000"}}}
        """;

    private const string CoinbaseEur = """{"data":{"amount":"40500.12","base":"BTC","currency":"EUR"}}""";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_fixed_table_gives_its_decimal_observed_now()
    {
        await using var services = Build(("Bitcoin:Rates:EUR", "40500.00"), ("Bitcoin:Rates:usd", "43000"));
        var rates = services.GetRequiredService<IExchangeRates>();

        var eur = await rates.GetRateAsync("EUR", Ct);

        Assert.IsType<ConfiguredExchangeRates>(rates);
        Assert.Equal(new QuotedRate("EUR", 40500.00m, "config", _clock.GetUtcNow()), eur);
        Assert.Equal("40500.00", eur.FiatPerBtc.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(new QuotedRate("USD", 43000m, "config", _clock.GetUtcNow()), await rates.GetRateAsync("usd", Ct));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(_clock.GetUtcNow(), (await rates.GetRateAsync("eur", Ct)).ObservedAt);
    }

    [Fact]
    public async Task The_fixed_table_is_read_in_the_invariant_culture_whatever_the_current_one()
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            await using var services = Build(("Bitcoin:Rates:EUR", "40500.50"));

            Assert.Equal(40500.50m, (await services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct)).FiatPerBtc);
            Assert.Throws<OptionsValidationException>(() => Build(("Bitcoin:Rates:EUR", "40500,50")));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    [Fact]
    public async Task A_JSON_number_in_the_table_keeps_all_its_digits()
    {
        var json = """{"Bitcoin":{"Rates":{"EUR":40500.10,"CHF":"38000.5","JPY":6543210.123456789012345678}}}""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        await using var services = BitcoinHost.Build(configuration, s => s.AddSingleton<TimeProvider>(_clock));
        var rates = services.GetRequiredService<IExchangeRates>();

        Assert.Equal("40500.10", (await rates.GetRateAsync("EUR", Ct)).FiatPerBtc.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(38000.5m, (await rates.GetRateAsync("CHF", Ct)).FiatPerBtc);
        Assert.Equal(6543210.123456789012345678m, (await rates.GetRateAsync("JPY", Ct)).FiatPerBtc);
    }

    [Theory]
    [InlineData("GBP")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData("")]
    public async Task A_currency_the_table_does_not_have_is_unsupported(string currency)
    {
        await using var services = Build(("Bitcoin:Rates:EUR", "40500.00"));

        var e = await Assert.ThrowsAsync<ExchangeRateException>(() => services.GetRequiredService<IExchangeRates>().GetRateAsync(currency, Ct));

        Assert.Equal(ExchangeRateErrors.UnsupportedCurrency, e.Code);
    }

    [Theory]
    [InlineData("EUR", "40,500.00")]
    [InlineData("EUR", "40 500")]
    [InlineData("EUR", "abc")]
    [InlineData("EUR", "-1")]
    [InlineData("EUR", "+100")]
    [InlineData("EUR", "0")]
    [InlineData("EUR", "0.00")]
    [InlineData("EUR", "1e5")]
    [InlineData("EUR", "4.05E4")]
    [InlineData("EUR", "NaN")]
    [InlineData("EUR", "Infinity")]
    [InlineData("EUR", " 40500")]
    [InlineData("EUR", "")]
    [InlineData("EURO", "40500")]
    [InlineData("E1R", "40500")]
    public void A_table_entry_that_is_not_a_currency_and_a_positive_decimal_stops_start_up(string currency, string rate)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Build(($"Bitcoin:Rates:{currency}", rate), ("Bitcoin:Rates:USD", "43000")));

        Assert.Contains($"Bitcoin:Rates:{currency}:", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Bitcoin:Rates:USD", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kraken_gives_the_last_trade_price_observed_when_it_answered()
    {
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = path => path == "/0/public/Ticker?pair=XBTEUR" ? KrakenEur : null;
        await using var services = Build(Ticker("Kraken", ticker));

        var rate = await services.GetRequiredService<IExchangeRates>().GetRateAsync("eur", Ct);

        Assert.IsType<TickerExchangeRates>(services.GetRequiredService<IExchangeRates>());
        Assert.Equal(new QuotedRate("EUR", 40500.10000m, "kraken", _clock.GetUtcNow()), rate);
        Assert.Equal(["/0/public/Ticker?pair=XBTEUR"], ticker.Requests);
    }

    [Fact]
    public async Task Coinbase_gives_its_spot_price_observed_when_it_answered()
    {
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = path => path == "/v2/prices/BTC-EUR/spot" ? CoinbaseEur : null;
        await using var services = Build(Ticker("Coinbase", ticker));

        var rate = await services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct);

        Assert.Equal(new QuotedRate("EUR", 40500.12m, "coinbase", _clock.GetUtcNow()), rate);
        Assert.Equal(["/v2/prices/BTC-EUR/spot"], ticker.Requests);
    }

    [Fact]
    public async Task A_ticker_rate_is_used_again_with_its_observation_time_until_the_cache_expires()
    {
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = _ => CoinbaseEur;
        await using var services = Build([.. Ticker("Coinbase", ticker), ("Bitcoin:RateProvider:CacheSeconds", "60")]);
        var observed = _clock.GetUtcNow();

        var first = await services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct);
        _clock.Advance(TimeSpan.FromSeconds(59));
        ticker.Answer = _ => CoinbaseEur.Replace("40500.12", "41000.00", StringComparison.Ordinal);
        // Another instance of the typed client: the cache is the container's.
        var cached = await services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = await services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct);

        Assert.Equal(first, cached);
        Assert.Equal(observed, cached.ObservedAt);
        Assert.Equal(new QuotedRate("EUR", 41000.00m, "coinbase", observed.AddSeconds(60)), renewed);
        Assert.Equal(2, ticker.Requests.Count);
    }

    public static TheoryData<string, string> KrakenGarbage() => new()
    {
        { "not json", "<html>maintenance</html>" },
        { "error not an array", """{"error":"EService:Unavailable","result":{}}""" },
        { "an error", """{"error":["EService:Unavailable"]}""" },
        { "no result", """{"error":[]}""" },
        { "two pairs", """{"error":[],"result":{"XXBTZEUR":{"c":["1.0","1"]},"XXBTZUSD":{"c":["1.0","1"]}}}""" },
        { "another pair", """{"error":[],"result":{"XXBTZUSD":{"c":["43000.0","1"]}}}""" },
        { "no c", """{"error":[],"result":{"XXBTZEUR":{"a":["40501.0","1","1"]}}}""" },
        { "c empty", """{"error":[],"result":{"XXBTZEUR":{"c":[]}}}""" },
        { "price a number", """{"error":[],"result":{"XXBTZEUR":{"c":[40500.1,"1"]}}}""" },
        { "price not a number", """{"error":[],"result":{"XXBTZEUR":{"c":["forty","1"]}}}""" },
        { "price negative", """{"error":[],"result":{"XXBTZEUR":{"c":["-40500.1","1"]}}}""" },
        { "price zero", """{"error":[],"result":{"XXBTZEUR":{"c":["0.00000","1"]}}}""" },
        { "price exponent", """{"error":[],"result":{"XXBTZEUR":{"c":["4.05e4","1"]}}}""" },
        { "price thousands", """{"error":[],"result":{"XXBTZEUR":{"c":["40,500.1","1"]}}}""" },
    };

    [Theory]
    [MemberData(nameof(KrakenGarbage))]
    public async Task A_Kraken_answer_that_is_not_a_price_is_unavailable(string what, string body)
    {
        Assert.NotEmpty(what);
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = _ => body;
        await using var services = Build([.. Ticker("Kraken", ticker), ("Bitcoin:Rates:EUR", "40500.00")]);

        var e = await Assert.ThrowsAsync<ExchangeRateException>(() => services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct));

        // Never the fixed table instead.
        Assert.Equal(ExchangeRateErrors.Unavailable, e.Code);
    }

    [Fact]
    public async Task A_pair_Kraken_does_not_know_is_an_unsupported_currency()
    {
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = _ => """{"error":["EQuery:Unknown asset pair"]}""";
        await using var services = Build(Ticker("Kraken", ticker));

        var e = await Assert.ThrowsAsync<ExchangeRateException>(() => services.GetRequiredService<IExchangeRates>().GetRateAsync("XYZ", Ct));

        Assert.Equal(ExchangeRateErrors.UnsupportedCurrency, e.Code);
        Assert.Equal(["/0/public/Ticker?pair=XBTXYZ"], ticker.Requests);
    }

    [Theory]
    [InlineData("""{"data":{"amount":"43000.00","base":"BTC","currency":"USD"}}""")]
    [InlineData("""{"data":{"amount":"2500.00","base":"ETH","currency":"EUR"}}""")]
    [InlineData("""{"data":{"amount":40500.12,"base":"BTC","currency":"EUR"}}""")]
    [InlineData("""{"data":{"base":"BTC","currency":"EUR"}}""")]
    [InlineData("""{"data":{"amount":"","base":"BTC","currency":"EUR"}}""")]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"errors":[{"id":"not_found","message":"Invalid currency"}]}""")]
    [InlineData("[]")]
    public async Task A_Coinbase_answer_that_is_not_the_BTC_price_in_the_currency_is_unavailable(string body)
    {
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = _ => body;
        await using var services = Build(Ticker("Coinbase", ticker));

        var e = await Assert.ThrowsAsync<ExchangeRateException>(() => services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct));

        Assert.Equal(ExchangeRateErrors.Unavailable, e.Code);
    }

    [Fact]
    public async Task A_ticker_error_is_retried_until_the_ticker_recovers()
    {
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = _ => CoinbaseEur;
        ticker.Fail(500, 429);
        await using var services = Build(Ticker("Coinbase", ticker));

        Assert.Equal(40500.12m, (await services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct)).FiatPerBtc);
        Assert.Equal(3, ticker.Requests.Count);
    }

    [Fact]
    public async Task A_ticker_that_keeps_failing_is_unavailable_after_the_retries()
    {
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = _ => CoinbaseEur;
        ticker.Fail(503, 503, 503);
        await using var services = Build(Ticker("Coinbase", ticker));

        var e = await Assert.ThrowsAsync<ExchangeRateException>(() => services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct));

        Assert.Equal(ExchangeRateErrors.Unavailable, e.Code);
        Assert.Equal("The coinbase ticker answered 503.", e.Message);
        Assert.Equal(3, ticker.Requests.Count);
    }

    [Fact]
    public async Task A_ticker_that_does_not_answer_is_unavailable_within_the_timeout()
    {
        await using var ticker = await FakeTicker.StartAsync();
        ticker.Answer = _ => KrakenEur;
        ticker.Delay = TimeSpan.FromSeconds(30);
        await using var services = Build(Ticker("Kraken", ticker));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var e = await Assert.ThrowsAsync<ExchangeRateException>(() => services.GetRequiredService<IExchangeRates>().GetRateAsync("EUR", Ct));

        Assert.Equal(ExchangeRateErrors.Unavailable, e.Code);
        Assert.InRange(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, 0.9, 4);
    }

    private static (string, string?)[] Ticker(string kind, FakeTicker ticker) =>
    [
        ("Bitcoin:RateProvider:Kind", kind),
        ("Bitcoin:RateProvider:BaseUrl", ticker.BaseUrl),
        ("Bitcoin:RateProvider:TimeoutSeconds", "1.5"),
        ("Bitcoin:RateProvider:AttemptTimeoutSeconds", "0.4"),
        ("Bitcoin:RateProvider:RetryDelaySeconds", "0.02"),
    ];

    /// <summary>The container on the test's clock: the rates are observed on it, the HTTP retries still wait in real time.</summary>
    private ServiceProvider Build(params (string Key, string? Value)[] settings) =>
        BitcoinHost.Build(BitcoinHost.Configuration(settings), s => s.AddSingleton<TimeProvider>(_clock));
}
