namespace Daxdi.Api.Hosting;

/// <summary>Where the host finds its settings, wherever it is started from.</summary>
public static class HostPaths
{
    /// <summary>
    /// The folder of the application (where <c>appsettings.json</c> is published), unless the operator names one with
    /// <c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c> or <c>DOTNET_CONTENTROOT</c>. The framework's default is the
    /// working directory, so <c>dotnet /opt/daxdi/Daxdi.Api.dll</c> started elsewhere ran without its settings.
    /// </summary>
    public static string? ContentRoot(string[] args)
    {
        var configured = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return configured ? null : AppContext.BaseDirectory;
    }
}
