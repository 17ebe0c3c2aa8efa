using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Daxdi.Application;

public static class DependencyInjection
{
    /// <summary>Registers validators found in this assembly. The mediator itself is generated in the Api project.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }
}
