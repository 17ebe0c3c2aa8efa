using Daxdi.Api.Endpoints;
using Daxdi.Application.Abstractions;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.OutputCaching;

namespace Daxdi.Api.Hosting.Delivery;

public static class DeliverySetup
{
    /// <summary>Output cache, per-site CORS, response writing and cache eviction for the public endpoints.</summary>
    public static IServiceCollection AddDaxdiDelivery(this IServiceCollection services, DeliveryOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<PublicResponses>();
        services.AddSingleton<IResponseCache, OutputCacheResponses>();
        services.AddSingleton<CacheGeneration>();
        services.AddOutputCache(o =>
        {
            o.SizeLimit = options.OutputCacheSizeMegabytes * 1024L * 1024L;
            o.AddPolicy(DeliveryEndpoints.OutputCachePolicy, policy => policy
                .Expire(TimeSpan.FromSeconds(options.OutputCacheSeconds))
                .SetVaryByHeader("Origin")
                .AddPolicy<GenerationTagPolicy>());
        });
        var store = services.Single(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(store);
        services.AddSingleton<IOutputCacheStore>(sp => new GenerationCheckedStore(
            (IOutputCacheStore)store.ImplementationFactory!(sp), sp.GetRequiredService<CacheGeneration>()));
        services.AddCors();
        services.AddTransient<DefaultCorsPolicyProvider>();
        services.AddTransient<ICorsPolicyProvider, SiteCorsPolicyProvider>();
        return services;
    }
}
