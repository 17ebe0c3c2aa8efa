using System.ComponentModel.DataAnnotations;
using System.Net;
using Daxdi.Infrastructure.Startup;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Net.Http.Headers;

namespace Daxdi.Api.Hosting;

/// <summary>Configuration section <c>Https</c>: for deployments that serve (or are reached through) TLS.</summary>
public sealed class HttpsOptions
{
    public const string Section = "Https";

    /// <summary>Answer plain-HTTP requests with a redirect to HTTPS.</summary>
    public bool Redirect { get; set; }

    /// <summary>The port HTTPS clients use, for the redirect (behind a proxy, the proxy's).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 443;

    /// <summary><c>Strict-Transport-Security</c> max-age on HTTPS responses; 0 sends none.</summary>
    [Range(0, 63_072_000)]
    public int HstsMaxAgeSeconds { get; set; }

    public bool HstsIncludeSubDomains { get; set; }

    public bool HstsPreload { get; set; }

    /// <summary>
    /// Proxies (addresses or CIDR ranges) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are trusted: the
    /// client address (for rate limits) and the scheme (for HSTS and the redirect) are then the ones they forward.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>
/// Headers every response carries, and TLS behaviour from <see cref="HttpsOptions"/>. Admin responses are never
/// stored by a cache (<c>Cache-Control: no-store</c>): they carry drafts, and new API keys.
/// </summary>
public static class TransportSecurity
{
    private const string AdminPath = "/api/v1/admin";

    public static IServiceCollection AddDaxdiTransportSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var https = StartupOptions.Read<HttpsOptions>(configuration, HttpsOptions.Section);
        services.AddSingleton(https);
        var proxies = https.TrustedProxies.Select(ProxyNetwork).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownIPNetworks.Add);
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromSeconds(https.HstsMaxAgeSeconds);
            o.IncludeSubDomains = https.HstsIncludeSubDomains;
            o.Preload = https.HstsPreload;
        });
        services.AddHttpsRedirection(o => o.HttpsPort = https.Port);
        return services;
    }

    private static System.Net.IPNetwork ProxyNetwork(string proxy) =>
        System.Net.IPNetwork.TryParse(proxy, out var network) ? network
        : IPAddress.TryParse(proxy, out var address) ? new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8)
        : throw new Microsoft.Extensions.Options.OptionsValidationException(HttpsOptions.Section, typeof(HttpsOptions),
            [$"Https:TrustedProxies: '{proxy}' is neither an IP address nor a CIDR range."]);

    /// <summary>First in the pipeline, so errors and redirects carry the headers too.</summary>
    public static void UseDaxdiTransportSecurity(this WebApplication app)
    {
        var https = app.Services.GetRequiredService<HttpsOptions>();
        if (https.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                if (http.Request.Path.StartsWithSegments(AdminPath))
                {
                    headers.CacheControl = "no-store";
                    headers.Remove(HeaderNames.Pragma);
                    headers.Remove(HeaderNames.Expires);
                }

                return Task.CompletedTask;
            });
            return next(http);
        });

        if (https.HstsMaxAgeSeconds > 0)
        {
            app.UseHsts();
        }

        if (https.Redirect)
        {
            app.UseHttpsRedirection();
        }
    }
}
