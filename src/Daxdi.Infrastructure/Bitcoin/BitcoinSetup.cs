using Daxdi.Application.Abstractions.Payments;
using Daxdi.Infrastructure.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
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
                .AddResilience("esplora", esplora);
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
                .AddResilience("exchange-rates", provider);
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
    /// The pipeline of the standard resilience handler without its rate limiter: a total timeout, retries of connection
    /// failures, attempt timeouts, 408, 429 and 5xx with exponential backoff and jitter (honouring <c>Retry-After</c>),
    /// a circuit breaker, and an attempt timeout.
    /// </summary>
    /// <remarks>
    /// Polly takes its clock from the container when one is registered; a test host's <c>FakeTimeProvider</c> then holds
    /// every retry delay and timeout until the test moves its clock (seen: the first retry never came). Waiting for a
    /// server happens in real time whatever the business clock says, so the pipeline runs on the system clock.
    /// </remarks>
    private static IHttpClientBuilder AddResilience(this IHttpClientBuilder builder, string name, HttpSourceOptions options)
    {
        var attempt = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds);
        // One handler for the client's life, its pooled connections renewed every two minutes (so a changed DNS answer
        // counts): a singleton such as the chain monitor may keep the typed client it was given.
        builder.UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler(name, pipeline =>
        {
            pipeline.TimeProvider = TimeProvider.System;
            pipeline
                .AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds))
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.Retries,
                    Delay = TimeSpan.FromSeconds(options.RetryDelaySeconds),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                })
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    // Open after half of at least 20 requests within a minute failed; a poll then fails at once for 15 s.
                    FailureRatio = 0.5,
                    MinimumThroughput = 20,
                    SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, 2 * attempt.Ticks)),
                    BreakDuration = TimeSpan.FromSeconds(15),
                })
                .AddTimeout(attempt);
        });
        return builder;
    }
}
