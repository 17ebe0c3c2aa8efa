using Daxdi.Application.Abstractions;
using Daxdi.Application.Features.Webhooks;
using Daxdi.Infrastructure.Bitcoin;
using Daxdi.Infrastructure.Consent;
using Daxdi.Infrastructure.Delivery;
using Daxdi.Infrastructure.Persistence;
using Daxdi.Infrastructure.Persistence.Providers;
using Daxdi.Infrastructure.Publishing;
using Daxdi.Infrastructure.Startup;
using Daxdi.Infrastructure.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "Daxdi";
    public const string DefaultSqliteConnectionString = "Data Source=data/daxdi.db";

    // A failover or a dropped connection is retried a few times within seconds (each commit runs whole again, see
    // CommitPipeline); a longer outage answers 503 rather than holding requests.
    private const int TransientRetries = 3;
    private static readonly TimeSpan TransientRetryMaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Registers the store chosen by <c>Database:Provider</c> and the start-up tasks. Every <see cref="IInterceptor"/>
    /// registered here (or by a test host) is added to the store's contexts.
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var database = StartupOptions.Read<DatabaseOptions>(configuration, DatabaseOptions.Section);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (database.Provider != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OptionsValidationException(ConnectionStringName, typeof(DatabaseOptions),
                [$"ConnectionStrings:{ConnectionStringName} is required when Database:Provider is {database.Provider}."]);
        }

        services.AddSingleton(Options.Create(database));
        services.AddSingleton<StoreWriteHealth>();
        services.AddSingleton<IInterceptor, StoreFullInterceptor>();
        services.AddSingleton<IInterceptor, ConsentRecordGuard>();
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = PrepareSqlite(connectionString ?? DefaultSqliteConnectionString);
                var connections = SqliteConnectionStrings.For(sqlite);
                var settings = new SqliteConnectionSettings(new SqliteConnectionStringBuilder(sqlite).DefaultTimeout, database.SqliteSynchronous,
                    database.SqliteWriteMemoryMapMegabytes, connections);
                services.AddDbContextPool<SqliteDaxdiDbContext>((sp, o) => o.AddInterceptors(sp.GetServices<IInterceptor>()).AddInterceptors(settings)
                    .UseSqlite(connections.Reads, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery).UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                    // ArticleReadLayout turns foreign keys off around its table rebuild, outside a transaction by
                    // necessity; that is expected on every new store, so it is logged as information, not a warning.
                    .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Information))));
                services.AddScoped<DaxdiDbContext>(sp => sp.GetRequiredService<SqliteDaxdiDbContext>());
                services.AddSingleton<IArticleSearch>(new SqliteArticleSearch(connections.Reads));
                services.AddSingleton<IPublishedDocumentReader>(new SqlitePublishedDocumentReader(connections.Reads));
                services.AddHostedService<SqliteStatisticsService>();
                services.AddSingleton<IStoreWriteGate>(new SqliteWriteGate(connections));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<SqlServerDaxdiDbContext>((sp, o) => o.AddInterceptors(sp.GetServices<IInterceptor>()).UseSqlServer(connectionString, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)
                    .EnableRetryOnFailure(TransientRetries, TransientRetryMaxDelay, null)));
                services.AddScoped<DaxdiDbContext>(sp => sp.GetRequiredService<SqlServerDaxdiDbContext>());
                services.AddScoped<IArticleSearch, PortableArticleSearch>();
                services.AddScoped<IPublishedDocumentReader, EfPublishedDocumentReader<SqlServerDaxdiDbContext>>();
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContextPool<PostgreSqlDaxdiDbContext>((sp, o) => o.AddInterceptors(sp.GetServices<IInterceptor>()).UseNpgsql(connectionString, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)
                    .EnableRetryOnFailure(TransientRetries, TransientRetryMaxDelay, null)));
                services.AddScoped<DaxdiDbContext>(sp => sp.GetRequiredService<PostgreSqlDaxdiDbContext>());
                services.AddScoped<IArticleSearch, PostgreSqlArticleSearch>();
                services.AddScoped<IPublishedDocumentReader, EfPublishedDocumentReader<PostgreSqlDaxdiDbContext>>();
                break;
        }

        services.AddScoped<IDaxdiDbContext>(sp => sp.GetRequiredService<DaxdiDbContext>());
        services.TryAddSingleton<IStoreWriteGate, ConcurrentWriteGate>();
        services.AddSingleton<IStoreErrors, ProviderStoreErrors>();
        services.AddMemoryCache();
        services.AddScoped<ISiteDirectory, SiteDirectory>();
        services.AddHealthChecks()
            .AddCheck<StoreReachableHealthCheck>("store", tags: ["ready"])
            .AddCheck<StoreWritesHealthCheck>("store-writes", tags: ["ready"]);

        services.AddSingleton(Options.Create(StartupOptions.Read<BootstrapOptions>(configuration, BootstrapOptions.Section)));
        services.AddSingleton(Options.Create(StartupOptions.Read<SeedOptions>(configuration, SeedOptions.Section)));
        services.AddScoped<DatabaseInitializer>();
        services.AddSingleton(Options.Create(StartupOptions.Read<Similarity.SimilarityOptions>(configuration, Similarity.SimilarityOptions.Section)));
        services.AddSingleton<Similarity.SimilarityIndex>();
        services.AddScoped<Application.Abstractions.IArticleSimilarity, Similarity.ArticleSimilarity>();
        var import = StartupOptions.Read<Application.Features.Articles.Import.ImportOptions>(configuration,
            Application.Features.Articles.Import.ImportOptions.Section);
        services.AddSingleton(Options.Create(import));
        services.AddSingleton(new Application.Features.Articles.Import.ChromeRules(import));
        services.AddHostedService<DocumentRenderingService>();
        services.AddHostedService<GroupCommitService<Domain.Consent.ConsentRecord, Mediator.Unit>>();
        services.AddHostedService<GroupCommitService<Application.Features.Payments.PricedPaymentIntent, Application.Features.Payments.CreatedPaymentIntentDto>>();
        services.AddSingleton<IResponseProtector, Idempotency.ResponseProtector>();
        services.AddBitcoin(configuration);
        services.AddSingleton(Options.Create(StartupOptions.Read<Application.Features.Payments.PaymentOptions>(configuration,
            Application.Features.Payments.PaymentOptions.Section)));
        services.AddHostedService<Idempotency.IdempotencyPurgeService>();
        services.AddSingleton<Leases.StoreLeases>();
        var monitor = StartupOptions.Read<ChainMonitorOptions>(configuration, ChainMonitorOptions.Section);
        services.AddSingleton(Options.Create(monitor));
        if (monitor.Enabled)
        {
            // Without Bitcoin:Esplora:BaseUrl it reads no chain and only expires intents (see ChainMonitorService).
            services.AddSingleton<ChainMonitorService>();
            services.AddHostedService(sp => sp.GetRequiredService<ChainMonitorService>());
        }

        var retention = StartupOptions.Read<Consent.ConsentRetentionOptions>(configuration, Consent.ConsentRetentionOptions.Section);
        services.AddSingleton(Options.Create(retention));
        if (retention.Enabled)
        {
            services.AddHostedService<Consent.ConsentRetentionService>();
        }

        services.AddConsentReceiptKeys(configuration, database, connectionString);

        var webhooks = StartupOptions.Read<WebhookOptions>(configuration, WebhookOptions.Section);
        services.AddSingleton(Options.Create(webhooks));
        services.AddSingleton(new WebhookSettings(webhooks.SecretOverlapHours));
        services.AddSingleton<WebhookAddressPolicy>();
        services.AddSingleton<IWebhookAddressResolver, DnsWebhookAddressResolver>();
        services.AddSingleton<IWebhookTargets, WebhookTargets>();
        if (webhooks.DispatcherEnabled)
        {
            services.AddSingleton<WebhookSender>();
            services.AddHostedService<WebhookDispatchService>();
        }

        var publishing = StartupOptions.Read<PublishingOptions>(configuration, PublishingOptions.Section);
        services.AddSingleton(Options.Create(publishing));
        services.AddScoped<DuePublisher>();
        var revisions = StartupOptions.Read<RevisionOptions>(configuration, RevisionOptions.Section);
        services.AddSingleton(Options.Create(revisions));
        if (revisions.PruningEnabled)
        {
            services.AddHostedService<RevisionPruningService>();
        }
        if (publishing.SchedulerEnabled)
        {
            services.AddHostedService<ScheduledPublishingService>();
        }

        return services;
    }

    /// <summary>Creates the folder of a file database, so the default <c>data/daxdi.db</c> works on a fresh clone.</summary>
    private static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(directory))
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw StoreStartupException.FolderNotCreated(directory, e);
            }
        }

        // Several processes may share one file (scheduled publishing, tests); wait on locks rather than fail.
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        return builder.ToString();
    }
}
