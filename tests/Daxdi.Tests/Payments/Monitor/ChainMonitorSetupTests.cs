using Daxdi.Infrastructure.Bitcoin;
using Daxdi.Infrastructure.Leases;
using Daxdi.Infrastructure.Startup;
using Daxdi.Tests.Payments.Bitcoin;
using Daxdi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Daxdi.Tests.Payments.Monitor;

/// <summary><c>Bitcoin:Monitor</c> read and checked at start-up, and the store lease the monitor holds, on SQLite and PostgreSQL.</summary>
public sealed class ChainMonitorSetupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Stores => new() { "Sqlite", "PostgreSql" };

    [Fact]
    public void The_defaults_poll_every_30_seconds_with_a_two_minute_lease()
    {
        var options = StartupOptions.Read<ChainMonitorOptions>(BitcoinHost.Configuration(), ChainMonitorOptions.Section);

        Assert.Equal((true, 30, 120, 100), (options.Enabled, options.PollSeconds, options.LeaseSeconds, options.BatchSize));
    }

    [Theory]
    [InlineData("PollSeconds", "0", "Bitcoin:Monitor:PollSeconds")]
    [InlineData("BatchSize", "0", "Bitcoin:Monitor:BatchSize")]
    [InlineData("LeaseSeconds", "59", "Bitcoin:Monitor:LeaseSeconds")]
    [InlineData("PollSeconds", "often", "Bitcoin:Monitor")]
    public void A_wrong_value_stops_start_up_naming_the_key(string key, string value, string named)
    {
        var configuration = BitcoinHost.Configuration(($"Bitcoin:Monitor:{key}", value));

        var e = Assert.Throws<OptionsValidationException>(() => StartupOptions.Read<ChainMonitorOptions>(configuration, ChainMonitorOptions.Section));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_process_refuses_a_lease_shorter_than_two_polls()
    {
        using var store = new TempFolder();
        using var host = ApiProcess.Start(store.Path, ApiProcess.FreePort(), ("Bitcoin__Monitor__PollSeconds", "60"), ("Bitcoin__Monitor__LeaseSeconds", "90"));

        await host.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, host.Process.ExitCode);
        Assert.Equal("Daxdi cannot start: invalid configuration. Bitcoin:Monitor:LeaseSeconds: must be at least twice PollSeconds, "
            + "or the lease runs out between two polls of its holder.", host.Errors.ToString().Trim());
    }

    [Fact]
    public async Task Disabled_there_is_no_monitor()
    {
        await using var api = new ApiFactory(TestStore.Sqlite(), ("Bitcoin:Monitor:Enabled", "false"));

        Assert.Null(api.Services.GetService<ChainMonitorService>());
        Assert.DoesNotContain(api.Services.GetServices<IHostedService>(), s => s is ChainMonitorService);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_lease_is_held_by_one_holder_until_it_runs_out_or_is_released(string provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await HostAsync(provider, clock);
        var leases = api.Services.GetRequiredService<StoreLeases>();
        var (a, b) = (StoreLeases.NewHolder("a"), StoreLeases.NewHolder("b"));
        var minute = TimeSpan.FromMinutes(1);

        var taken = await leases.TryAcquireAsync("test-lease", a, minute, Ct);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddMinutes(1), taken!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Null(await leases.TryAcquireAsync("test-lease", b, minute, Ct));
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.NotNull(await leases.TryAcquireAsync("test-lease", a, minute, Ct)); // renewed: now lasts until 1:50
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(await leases.TryAcquireAsync("test-lease", b, minute, Ct));
        Assert.Equal(a, await leases.HolderAsync("test-lease", Ct));

        clock.Advance(TimeSpan.FromSeconds(10)); // 1:50: a's lease has run out
        Assert.NotNull(await leases.TryAcquireAsync("test-lease", b, minute, Ct));
        Assert.Null(await leases.TryAcquireAsync("test-lease", a, minute, Ct));
        Assert.Equal(b, await leases.HolderAsync("test-lease", Ct));

        await leases.ReleaseAsync("test-lease", a, Ct); // not a's to give back: nothing changes
        Assert.Equal(b, await leases.HolderAsync("test-lease", Ct));
        await leases.ReleaseAsync("test-lease", b, Ct);
        Assert.Null(await leases.HolderAsync("test-lease", Ct));
        Assert.NotNull(await leases.TryAcquireAsync("test-lease", a, minute, Ct)); // at once, without waiting for the minute
        Assert.NotNull(await leases.TryAcquireAsync("other-lease", b, minute, Ct)); // names are independent
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Of_many_takers_of_a_new_lease_at_once_exactly_one_gets_it(string provider)
    {
        await using var api = await HostAsync(provider, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var leases = api.Services.GetRequiredService<StoreLeases>();
        // EF logs at Error that a fresh PostgreSQL database has no migrations history yet: start-up, not the leases.
        var startup = api.Logs.Count;

        for (var round = 0; round < 5; round++)
        {
            var name = $"race-{round}";
            var takers = Enumerable.Range(0, 12).Select(i => StoreLeases.NewHolder($"t{i}")).ToList();
            var results = await Task.WhenAll(takers.Select(t => Task.Run(() => leases.TryAcquireAsync(name, t, TimeSpan.FromMinutes(1), Ct), Ct)));

            var winner = Assert.Single(takers.Where((_, i) => results[i] is not null));
            Assert.Equal(winner, await leases.HolderAsync(name, Ct));
        }

        // The losers' inserts did nothing: no failed statement (EF logs those at Error).
        Assert.DoesNotContain(api.Logs.Skip(startup), l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static async Task<ApiFactory> HostAsync(string provider, FakeTimeProvider clock)
    {
        var store = provider == "Sqlite" ? TestStore.Sqlite() : await TestStore.PostgreSqlAsync();
        var api = new ApiFactory(store) { TestServices = s => s.AddSingleton<TimeProvider>(clock) };
        api.Client(); // skips without a PostgreSQL server; starts the host (and migrates) otherwise
        return api;
    }
}
