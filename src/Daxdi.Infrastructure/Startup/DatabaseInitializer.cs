using Daxdi.Application.Abstractions.Payments;
using Daxdi.Application.Common;
using Daxdi.Application.Features.Articles.Rendering;
using Daxdi.Application.Security;
using Daxdi.Domain.Security;
using Daxdi.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Daxdi.Infrastructure.Startup;

/// <summary>What start-up did that the operator must be told about.</summary>
/// <param name="GeneratedAdminKey">A new admin key generated for a development machine; show it once.</param>
public sealed record InitializationResult(string? GeneratedAdminKey);

/// <summary>
/// Start-up work on the store: migrations, the first admin key, demo content, and a write that proves the store takes
/// writes. A store that cannot be opened or written throws <see cref="StoreStartupException"/>.
/// </summary>
public sealed partial class DatabaseInitializer(
    DaxdiDbContext db,
    IOptions<DatabaseOptions> database,
    IOptions<BootstrapOptions> bootstrap,
    IOptions<SeedOptions> seed,
    TimeProvider clock,
    ArticleBodyRenderer renderer,
    IBitcoinKeys keys,
    CommitPipeline commit,
    Mediator.ISender sender,
    StoreWriteHealth writeHealth,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>
    /// Migrates, creates the bootstrap key, seeds, and finally proves that the store takes a write. A store that cannot
    /// be opened or written throws <see cref="StoreStartupException"/>. A full one does not stop start-up: reads still
    /// work, and readiness reports it until a write succeeds (<see cref="StoreWriteHealth"/>).
    /// </summary>
    public async Task<InitializationResult> InitializeAsync(bool generateAdminKeyIfMissing, CancellationToken cancellationToken)
    {
        try
        {
            var result = await MigrateAndSeedAsync(generateAdminKeyIfMissing, cancellationToken);
            await ProbeAsync(cancellationToken);
            return result;
        }
        catch (Exception e) when (StoreStartupException.IsStoreFailure(e))
        {
            throw StoreStartupException.For(e, database.Value.Provider, db.Database.GetConnectionString());
        }
    }

    private async Task<InitializationResult> MigrateAndSeedAsync(bool generateAdminKeyIfMissing, CancellationToken cancellationToken)
    {
        if (database.Value.ApplyMigrationsOnStartup)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                LogMigrating(pending.Count, database.Value.Provider);
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        var generated = await EnsureAdminKeyAsync(generateAdminKeyIfMissing, cancellationToken);
        if (seed.Value.DemoContent)
        {
            if (await DemoContent.SeedAsync(db, commit, clock, renderer, keys, cancellationToken))
            {
                await DemoContent.ImportPageAsync(sender, cancellationToken);
            }
        }

        return new InitializationResult(generated);
    }

    /// <summary>
    /// Proves that the store takes a write, since an existing store may need none to start (a read-only file would
    /// otherwise go unnoticed until the first save).
    /// </summary>
    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StoreProbe.WriteAsync(db, cancellationToken);
        }
        catch (Exception e) when (StoreErrors.IsFull(e))
        {
            // Reads still work: start, and let readiness keep traffic away until writes succeed.
            writeHealth.Failed(e);
            LogStartingFull(StoreErrors.Reason(e));
        }
    }

    private async Task<string?> EnsureAdminKeyAsync(bool generateIfMissing, CancellationToken cancellationToken)
    {
        if (await db.ApiKeys.AnyAsync(k => k.Role == ApiRole.Admin && k.RevokedAt == null, cancellationToken))
        {
            return null;
        }

        var configured = bootstrap.Value.AdminApiKey;
        if (configured is null && !generateIfMissing)
        {
            LogNoAdminKey();
            return null;
        }

        var secret = configured ?? ApiKeySecret.Generate();
        var hash = ApiKeySecret.Hash(secret);
        if (await db.ApiKeys.AnyAsync(k => k.SecretHash == hash, cancellationToken))
        {
            throw new OptionsValidationException(BootstrapOptions.Section, typeof(BootstrapOptions),
                ["Bootstrap:AdminApiKey is a key that was revoked; configure a new secret."]);
        }

        var prefix = ApiKeySecret.PrefixOf(secret);
        await commit.RunAsync(() =>
        {
            db.ApiKeys.Add(new ApiKey("bootstrap admin", ApiRole.Admin, prefix, hash, author: null, clock.UtcNow()));
            return ValueTask.FromResult(true);
        }, retryable: false, cancellationToken);
        LogAdminKeyCreated(prefix);
        return configured is null ? secret : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} pending migration(s) to the {Provider} store")]
    private partial void LogMigrating(int count, DatabaseProvider provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store is full at start-up ({Reason}): starting for reads; not ready until writes succeed")]
    private partial void LogStartingFull(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bootstrap admin API key {Prefix}…")]
    private partial void LogAdminKeyCreated(string prefix);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No admin API key exists and Bootstrap:AdminApiKey is not set: the admin API is unreachable until one is configured")]
    private partial void LogNoAdminKey();
}
