using Daxdi.Infrastructure.Startup;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Daxdi.Api.Hosting;

/// <summary>Tells the person who just ran the API where to go and, once, the admin key made for them.</summary>
public static class StartupBanner
{
    public static void Register(WebApplication app, InitializationResult result) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var url = addresses?.FirstOrDefault() ?? "http://localhost:5000";
            Console.WriteLine();
            Console.WriteLine($"  Daxdi API is running at {url}");
            Console.WriteLine($"  Swagger UI:  {url}/swagger");
            Console.WriteLine($"  Health:      {url}/health/ready");
            if (result.GeneratedAdminKey is { } key)
            {
                Console.WriteLine();
                Console.WriteLine("  A development admin API key was created. It is shown only this once:");
                Console.WriteLine($"    {key}");
                Console.WriteLine("  Use it as 'Authorization: Bearer <key>' (Swagger UI: Authorize button).");
                Console.WriteLine("  Lost it? Delete data/daxdi.db, or set Bootstrap__AdminApiKey before the first start.");
            }
            else
            {
                Console.WriteLine("  Admin API:   use the key printed at the first start, or Bootstrap__AdminApiKey (see README).");
            }

            Console.WriteLine();
        });
}
