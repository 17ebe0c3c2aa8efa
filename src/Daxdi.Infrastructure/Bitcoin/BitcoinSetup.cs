using Daxdi.Application.Abstractions.Payments;
using Daxdi.Infrastructure.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace Daxdi.Infrastructure.Bitcoin;

/// <summary>The Bitcoin adapters: wallet keys and addresses, BIP21 and QR codes, the chain source, exchange rates.</summary>
public static class BitcoinSetup
{
    /// <summary>
    /// Registers <see cref="IBitcoinKeys"/>, <see cref="IPaymentUris"/>, <see cref="IExchangeRates"/> (the fixed table of
    /// <c>Bitcoin:Rates</c>, or the ticker of <c>Bitcoin:RateProvider</c>) and <see cref="ChainSourceStatus"/>; and
    /// <see cref="IChainSource"/> only when <c>Bitcoin:Esplora:BaseUrl</c> is set. A wrong value stops start-up here
    /// with a message naming the key.
    /// </summary>
    public static IServiceCollection AddBitcoin(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IBitcoinKeys, BitcoinKeys>();
        services.AddSingleton<IPaymentUris, PaymentUris>();

        var esplora = StartupOptions.Read<EsploraOptions>(configuration, EsploraOptions.Section);
        services.AddSingleton(Options.Create(esplora));
        services.AddSingleton(new ChainSourceStatus(esplora.IsConfigured));
        if (esplora.IsConfigured)
        {
            services.AddHttpClient<IChainSource, EsploraClient>(http => Configure(http, HttpSourceOptions.BaseAddress(esplora.BaseUrl)!, esplora))
                .AddResilience(esplora);
        }

        var table = ExchangeRateTable.Read(configuration);
        services.AddSingleton(table);
        var provider = StartupOptions.Read<RateProviderOptions>(configuration, RateProviderOptions.Section);
        services.AddSingleton(Options.Create(provider));
        if (provider.Kind == RateProviderKind.Fixed)
        {
            services.AddSingleton<IExchangeRates, ConfiguredExchangeRates>();
        }
        else
        {
            services.AddSingleton<TickerRateCache>();
            services.AddHttpClient<IExchangeRates, TickerExchangeRates>(http => Configure(http, provider.EffectiveBaseAddress!, provider))
                .AddResilience(provider);
        }

        return services;
    }

    private static void Configure(HttpClient http, Uri baseAddress, HttpSourceOptions options)
    {
        http.BaseAddress = baseAddress;
        // The resilience pipeline bounds the requests; this also bounds reading the body, which comes after it.
        http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        http.MaxResponseContentBufferSize = EsploraClient.MaxResponseBytes;
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Daxdi-Bitcoin/1");
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
    }

    /// <summary>
    /// The standard pipeline (rate limiter, total timeout, retry, circuit breaker, attempt timeout) with the source's
    /// timeouts and retries: exponential backoff with jitter, retrying connection failures, attempt timeouts, 408, 429
    /// and 5xx.
    /// </summary>
    private static IHttpClientBuilder AddResilience(this IHttpClientBuilder builder, HttpSourceOptions options)
    {
        builder.AddStandardResilienceHandler(pipeline =>
        {
            var attempt = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds);
            pipeline.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
            pipeline.AttemptTimeout.Timeout = attempt;
            pipeline.Retry.MaxRetryAttempts = options.Retries;
            pipeline.Retry.Delay = TimeSpan.FromSeconds(options.RetryDelaySeconds);
            pipeline.Retry.BackoffType = DelayBackoffType.Exponential;
            pipeline.Retry.UseJitter = true;
            // The pipeline requires at least twice the attempt timeout.
            pipeline.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * attempt.Ticks));
        });
        return builder;
    }
}
