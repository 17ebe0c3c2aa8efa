using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Daxdi.Tests.Support;

/// <summary>The real API host over a <see cref="TestStore"/>, with a known bootstrap admin key.</summary>
public sealed class ApiFactory(TestStore store, params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
{
    public const string AdminKey = "dx_TestAdminKey0000000000000000000000000000000";

    public TestStore Store { get; } = store;

    /// <summary>Service overrides for one test (e.g. a locally trusted JWT signing key).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>The hosting environment; "Testing" unless a test needs another.</summary>
    public string Environment { get; init; } = "Testing";

    /// <summary>Whether to configure the bootstrap admin key.</summary>
    public bool WithBootstrapKey { get; init; } = true;

    /// <summary>Whether disposing this host drops its store; false for a second host on the same database.</summary>
    public bool OwnsStore { get; init; } = true;

    /// <summary>Everything the host logged, for assertions on what is (and is not) logged.</summary>
    public ConcurrentQueue<CapturedLog> Logs { get; } = new();

    /// <summary>The host's errors so far, one per line, for a failing assertion's message; empty when there were none.</summary>
    public string ErrorLog() =>
        string.Concat(Logs.Where(log => log.Level >= LogLevel.Error).Select(log => $"{System.Environment.NewLine}{log.Category}: {log.Text}"));

    public HttpClient Client(string? apiKey = null)
    {
        Assert.SkipWhen(Store.SkipReason is not null, Store.SkipReason ?? "");
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public HttpClient Admin() => Client(AdminKey);

    /// <summary>Creates an API key with the given role through the admin API and returns its secret.</summary>
    public async Task<string> CreateKeyAsync(string role, string? site = null, string? authorSlug = null)
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/admin/api-keys",
            new { name = $"{role} key", role, site, authorSlug }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("key").GetString()!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("Database:Provider", Store.Provider);
        builder.UseSetting("ConnectionStrings:Daxdi", Store.ConnectionString ?? "");
        if (WithBootstrapKey)
        {
            builder.UseSetting("Bootstrap:AdminApiKey", AdminKey);
        }

        builder.UseSetting("Seed:DemoContent", "false");
        // The in-process server has no client address, so every test of a host shares one failed-authentication budget
        // one consent and one payment-intent budget; tests that probe credentials, post decisions or create intents would spend them. RateLimitTests and the
        // contract walk's throttled host set their own.
        builder.UseSetting("RateLimits:FailedAuthentication:PermitLimit", "1000000");
        builder.UseSetting("RateLimits:Consent:PermitLimit", "1000000");
        builder.UseSetting("RateLimits:PaymentIntents:PermitLimit", "1000000");
        // Every host of the test run shares this process's thread pool and two cores, so its delay says nothing about
        // one host's load, and a test's burst (40 concurrent consent writes) runs slower than on a node of its own.
        // LoadSheddingTests set their own limits and fill a host's slots; the backpressure harness measures the defaults.
        builder.UseSetting("LoadShedding:TargetThreadPoolDelayMilliseconds", "60000");
        builder.UseSetting("LoadShedding:MaxThreadPoolDelayMilliseconds", "60000");
        builder.UseSetting("LoadShedding:MaxConcurrentRequests", "1000");
        // The receipt keys' ring goes beside a SQLite file (a temporary one here); for other stores, to a throwaway
        // folder rather than the repository. Data Protection warns that it keeps the ring's keys unencrypted without a
        // certificate: true of every test host, and documented for production (docs/security.md).
        if (Store.Provider != "Sqlite")
        {
            builder.UseSetting("Consent:KeyRingPath", Path.Combine(Path.GetTempPath(), $"daxdi-keys-{Guid.NewGuid():N}"));
        }

        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(new CollectingLoggerProvider(Logs)));
        if (TestServices is not null)
        {
            builder.ConfigureTestServices(TestServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (OwnsStore)
        {
            await Store.DisposeAsync();
        }
    }

    /// <summary>
    /// Captures what the host's configuration lets through (the <c>Logging</c> filters of appsettings.json apply to
    /// every provider, this one included), with the scopes the production console writes (<c>IncludeScopes</c>).
    /// </summary>
    private sealed class CollectingLoggerProvider(ConcurrentQueue<CapturedLog> sink) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(string category, CollectingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            // No level of its own: the configured filters decide, as they do for the console.
            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<string>();
                provider._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
                provider.Sink.Enqueue(new CapturedLog(logLevel, category, formatter(state, exception), exception, scopes));
            }
        }

        private ConcurrentQueue<CapturedLog> Sink => sink;
    }
}

/// <summary>One log entry as the host wrote it.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, string Message, Exception? Exception, IReadOnlyList<string> Scopes)
{
    /// <summary>Everything a log sink would store for this entry: message, scopes and the exception with its stack.</summary>
    public string Text => string.Join(" | ", [Message, .. Scopes, .. Exception is null ? Array.Empty<string>() : [Exception.ToString()]]);
}

/// <summary>One API host over a fresh SQLite file, shared by the tests of one class.</summary>
public sealed class SqliteApi : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Api = new ApiFactory(TestStore.Sqlite());
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>One API host over a fresh PostgreSQL database, shared by the tests of one class; skipped without a server.</summary>
public sealed class PostgreSqlApi : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Api = new ApiFactory(await TestStore.PostgreSqlAsync());

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
