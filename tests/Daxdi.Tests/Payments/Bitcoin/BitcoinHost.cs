using Daxdi.Infrastructure.Bitcoin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Tests.Payments.Bitcoin;

/// <summary>A container with <see cref="BitcoinSetup.AddBitcoin"/> and nothing else, from in-memory settings.</summary>
internal static class BitcoinHost
{
    /// <summary>Esplora settings that keep failure tests short: 3 attempts of at most 0.5 s within 2 s, 20 ms apart.</summary>
    public static (string, string?)[] FastEsplora(string baseUrl) =>
    [
        ("Bitcoin:Esplora:BaseUrl", baseUrl),
        ("Bitcoin:Esplora:TimeoutSeconds", "2"),
        ("Bitcoin:Esplora:AttemptTimeoutSeconds", "0.5"),
        ("Bitcoin:Esplora:Retries", "2"),
        ("Bitcoin:Esplora:RetryDelaySeconds", "0.02"),
    ];

    public static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();

    public static ServiceProvider Build(params (string Key, string? Value)[] settings) => Build(Configuration(settings));

    public static ServiceProvider Build(IConfiguration configuration, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure?.Invoke(services);
        services.AddBitcoin(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
