using Daxdi.Application.Abstractions.Payments;
using Daxdi.Infrastructure.Bitcoin;
using Daxdi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Daxdi.Tests.Payments.Bitcoin;

/// <summary>What <see cref="BitcoinSetup.AddBitcoin"/> registers for which settings, and the settings that stop start-up.</summary>
public sealed class BitcoinSetupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Without_an_Esplora_base_URL_there_is_no_chain_source_and_the_status_says_so()
    {
        using var services = BitcoinHost.Build();

        Assert.Null(services.GetService<IChainSource>());
        Assert.Equal(new ChainSourceStatus(false), services.GetRequiredService<ChainSourceStatus>());
        Assert.IsType<BitcoinKeys>(services.GetRequiredService<IBitcoinKeys>());
        Assert.IsType<PaymentUris>(services.GetRequiredService<IPaymentUris>());
        Assert.IsType<ConfiguredExchangeRates>(services.GetRequiredService<IExchangeRates>());
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task With_an_Esplora_base_URL_the_chain_source_asks_below_its_path(string trailing)
    {
        await using var esplora = await FakeEsplora.StartAsync();
        esplora.TipHeight = 123;
        await using var services = BitcoinHost.Build(("Bitcoin:Esplora:BaseUrl", esplora.BaseUrl + trailing));

        Assert.Equal(new ChainSourceStatus(true), services.GetRequiredService<ChainSourceStatus>());
        Assert.IsType<EsploraClient>(services.GetRequiredService<IChainSource>());
        Assert.Equal(123, await services.GetRequiredService<IChainSource>().GetTipHeightAsync(Ct));
    }

    [Theory]
    [InlineData("Bitcoin:Esplora:BaseUrl", "ftp://esplora.example/api", "Bitcoin:Esplora:BaseUrl")]
    [InlineData("Bitcoin:Esplora:BaseUrl", "esplora.example/api", "Bitcoin:Esplora:BaseUrl")]
    [InlineData("Bitcoin:Esplora:BaseUrl", "/api", "Bitcoin:Esplora:BaseUrl")]
    [InlineData("Bitcoin:Esplora:BaseUrl", "https://esplora.example/api?key=1", "Bitcoin:Esplora:BaseUrl")]
    [InlineData("Bitcoin:Esplora:AttemptTimeoutSeconds", "30", "Bitcoin:Esplora:AttemptTimeoutSeconds")]
    [InlineData("Bitcoin:Esplora:Retries", "0", "Bitcoin:Esplora:Retries")]
    [InlineData("Bitcoin:Esplora:TimeoutSeconds", "ten", "Bitcoin:Esplora")]
    [InlineData("Bitcoin:Esplora:MaxConfirmedPages", "0", "Bitcoin:Esplora:MaxConfirmedPages")]
    [InlineData("Bitcoin:RateProvider:Kind", "Bitstamp", "Bitcoin:RateProvider")]
    [InlineData("Bitcoin:RateProvider:CacheSeconds", "-1", "Bitcoin:RateProvider:CacheSeconds")]
    public void A_wrong_setting_stops_start_up_naming_its_key(string key, string value, string named)
    {
        var e = Assert.Throws<OptionsValidationException>(() => BitcoinHost.Build((key, value)));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ticker_without_a_base_URL_uses_the_providers_public_API()
    {
        var options = new RateProviderOptions { Kind = RateProviderKind.Kraken };

        Assert.Equal(new Uri("https://api.kraken.com/"), options.EffectiveBaseAddress);
        Assert.Equal(new Uri("https://api.coinbase.com/"), new RateProviderOptions { Kind = RateProviderKind.Coinbase }.EffectiveBaseAddress);
        using var services = BitcoinHost.Build(("Bitcoin:RateProvider:Kind", "kraken"));
        Assert.IsType<TickerExchangeRates>(services.GetRequiredService<IExchangeRates>());
    }
}
