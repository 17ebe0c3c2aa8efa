using Daxdi.Application.Abstractions;
using Daxdi.Application.Common;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Infrastructure.Startup;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Consent;

public static class ReceiptKeysSetup
{
    /// <summary>
    /// The Data Protection application name: nodes that share the key ring folder only share keys when their names
    /// match, and the framework's default (the content root path) differs between hosts installed in other folders.
    /// </summary>
    public const string DataProtectionApplicationName = "Daxdi";

    /// <summary>The receipt signer, its key store and the Data Protection key ring that encrypts the keys at rest.</summary>
    internal static IServiceCollection AddConsentReceiptKeys(this IServiceCollection services, IConfiguration configuration,
        DatabaseOptions database, string? connectionString)
    {
        var options = StartupOptions.Read<ReceiptKeyOptions>(configuration, ReceiptKeyOptions.Section);
        services.AddSingleton(Options.Create(options));
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IHostEnvironment, ILoggerFactory>((keys, environment, loggers) =>
            keys.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(KeyRingPath(options, database, connectionString, environment.ContentRootPath)), loggers));

        services.AddSingleton<ReceiptKeyProtector>();
        services.AddScoped<ReceiptKeyFactory>();
        services.AddScoped<IReceiptKeyFactory>(sp => sp.GetRequiredService<ReceiptKeyFactory>());
        services.AddScoped<ICommitParticipant, ReceiptKeyCacheParticipant>();
        services.AddSingleton<ReceiptSigner>();
        services.AddSingleton<IConsentReceiptSigner>(sp => sp.GetRequiredService<ReceiptSigner>());
        return services;
    }

    /// <summary><c>Consent:KeyRingPath</c>, else <c>keys</c> beside the SQLite file, else <c>data/keys</c> under the content root.</summary>
    internal static string KeyRingPath(ReceiptKeyOptions options, DatabaseOptions database, string? connectionString, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyRingPath))
        {
            return Path.GetFullPath(options.KeyRingPath, contentRoot);
        }

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var sqlite = new SqliteConnectionStringBuilder(connectionString ?? DependencyInjection.DefaultSqliteConnectionString);
            if (sqlite.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(sqlite.DataSource) && sqlite.DataSource != ":memory:")
            {
                // Relative to the working directory, as the SQLite file itself is.
                return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource))!, "keys");
            }
        }

        return Path.Combine(contentRoot, "data", "keys");
    }
}
