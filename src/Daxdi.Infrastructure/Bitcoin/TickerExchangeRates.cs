using System.Collections.Concurrent;
using System.Text.Json;
using Daxdi.Application.Abstractions.Payments;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>
/// <see cref="IExchangeRates"/> from a public ticker (<see cref="RateProviderKind.Kraken"/> or
/// <see cref="RateProviderKind.Coinbase"/>), a typed <see cref="HttpClient"/> with the resilience pipeline of
/// <see cref="BitcoinSetup"/>. A rate is observed when the ticker's answer arrives (neither API dates its price) and
/// is used again for <see cref="RateProviderOptions.CacheSeconds"/> with that time. Prices are read from their JSON
/// strings as decimals; every field read is checked, and anything else than the documented answer is
/// <see cref="ExchangeRateErrors.Unavailable"/>. A failing ticker never falls back to the fixed table: an old price
/// presented as current would be worse than none.
/// </summary>
public sealed class TickerExchangeRates(HttpClient http, TickerRateCache cache, IOptions<RateProviderOptions> options, TimeProvider clock)
    : IExchangeRates
{
    private readonly RateProviderOptions _options = options.Value;

    public async Task<QuotedRate> GetRateAsync(string currency, CancellationToken cancellationToken)
    {
        var code = ExchangeRateTable.CurrencyCode(currency);
        var now = clock.GetUtcNow();
        if (cache.Rates.TryGetValue(code, out var cached) && now - cached.ObservedAt < TimeSpan.FromSeconds(_options.CacheSeconds))
        {
            return cached;
        }

        var (path, source) = _options.Kind switch
        {
            RateProviderKind.Kraken => ($"0/public/Ticker?pair=XBT{code}", "kraken"),
            RateProviderKind.Coinbase => ($"v2/prices/BTC-{code}/spot", "coinbase"),
            _ => throw new InvalidOperationException($"{_options.Kind} is not a ticker."),
        };
        var body = await GetAsync(path, source, cancellationToken);
        decimal rate;
        try
        {
            using var document = JsonDocument.Parse(body);
            rate = _options.Kind == RateProviderKind.Kraken ? ReadKraken(document.RootElement, code) : ReadCoinbase(document.RootElement, code);
        }
        catch (JsonException e)
        {
            throw Unavailable(source, "is not JSON", e);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // What JsonElement's accessors throw for an element of another kind, a missing property, an empty array.
            throw Unavailable(source, "is not of the documented shape", e);
        }

        var observed = new QuotedRate(code, rate, source, clock.GetUtcNow());
        cache.Rates[code] = observed;
        return observed;
    }

    /// <summary><c>{"error":[],"result":{"XXBTZEUR":{"c":["40500.10000","0.001"],…}}}</c>: the last trade's price.</summary>
    private static decimal ReadKraken(JsonElement root, string code)
    {
        var errors = root.GetProperty("error");
        if (errors.GetArrayLength() > 0)
        {
            var messages = errors.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
            throw messages.Any(m => m.Contains("Unknown asset pair", StringComparison.Ordinal))
                ? new ExchangeRateException(ExchangeRateErrors.UnsupportedCurrency, $"Kraken has no BTC price in {code}.")
                : Unavailable("kraken", "is an error");
        }

        // The key is Kraken's own name of the pair (XXBTZEUR for XBTEUR): one entry, for this currency.
        var pairs = root.GetProperty("result").EnumerateObject().ToList();
        if (pairs.Count != 1 || !pairs[0].Name.EndsWith(code, StringComparison.Ordinal))
        {
            throw Unavailable("kraken", $"is not one ticker of a BTC/{code} pair");
        }

        return Price(pairs[0].Value.GetProperty("c")[0], "kraken");
    }

    /// <summary><c>{"data":{"amount":"40500.12","base":"BTC","currency":"EUR"}}</c>.</summary>
    private static decimal ReadCoinbase(JsonElement root, string code)
    {
        var data = root.GetProperty("data");
        if (data.GetProperty("base").GetString() != "BTC" || data.GetProperty("currency").GetString() != code)
        {
            throw Unavailable("coinbase", $"is not the BTC price in {code}");
        }

        return Price(data.GetProperty("amount"), "coinbase");
    }

    private static decimal Price(JsonElement value, string source) =>
        ExchangeRateTable.ParseRate(value.GetString()) ?? throw Unavailable(source, "has no price that is a positive decimal");

    private static ExchangeRateException Unavailable(string source, string what, Exception? inner = null) =>
        new(ExchangeRateErrors.Unavailable, $"The {source} ticker's answer {what}.", inner);

    private async Task<byte[]> GetAsync(string path, string source, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadAsByteArrayAsync(cancellationToken)
                : throw new ExchangeRateException(ExchangeRateErrors.Unavailable, $"The {source} ticker answered {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ExchangeRateException(ExchangeRateErrors.Unavailable, $"The {source} ticker failed or did not answer in time: {e.Message}", e);
        }
    }
}

/// <summary>The rates <see cref="TickerExchangeRates"/> read last, by currency; a singleton (the typed client is not).</summary>
public sealed class TickerRateCache
{
    internal ConcurrentDictionary<string, QuotedRate> Rates { get; } = new(StringComparer.Ordinal);
}
