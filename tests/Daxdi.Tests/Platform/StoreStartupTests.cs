using System.Diagnostics;
using Daxdi.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Daxdi.Tests.Platform;

/// <summary>
/// The real executable on a store it cannot open or write: one line on standard error that names the problem and the
/// store (never its connection string), no stack trace, exit code 1. Tests run as root, for whom file modes do not
/// make a file read-only; <c>Mode=ReadOnly</c> and the immutable attribute do.
/// </summary>
public sealed class StoreStartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sqlite_store_opened_read_only_stops_start_up_although_start_up_needs_no_other_write()
    {
        using var folder = new TempFolder();
        var file = await MigratedSqliteFileAsync(folder);

        var error = await FailedStartAsync(folder, ("ConnectionStrings__Daxdi", $"Data Source={file};Mode=ReadOnly"));

        Assert.StartsWith($"Daxdi cannot start: the Sqlite store {file} is read-only", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_immutable_sqlite_file_stops_start_up()
    {
        using var folder = new TempFolder();
        var file = await MigratedSqliteFileAsync(folder);
        Assert.SkipUnless(await ChattrAsync("+i", file), "chattr +i is not available on this file system.");
        try
        {
            var error = await FailedStartAsync(folder);

            Assert.StartsWith($"Daxdi cannot start: the Sqlite store {file} is read-only", error, StringComparison.Ordinal);
        }
        finally
        {
            await ChattrAsync("-i", file);
        }
    }

    [Fact]
    public async Task A_sqlite_file_that_cannot_be_opened_stops_start_up()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);
        var file = Path.Combine(folder.Path, "daxdi.db");

        var error = await FailedStartAsync(folder, ("ConnectionStrings__Daxdi", $"Data Source={file};Mode=ReadOnly"));

        Assert.StartsWith($"Daxdi cannot start: the Sqlite store {file} cannot be opened", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sqlite_folder_that_cannot_be_created_stops_start_up()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);
        var notAFolder = Path.Combine(folder.Path, "file");
        await File.WriteAllTextAsync(notAFolder, "a file, not a folder", Ct);

        var error = await FailedStartAsync(folder, ("ConnectionStrings__Daxdi", $"Data Source={Path.Combine(notAFolder, "data", "daxdi.db")}"));

        Assert.StartsWith($"Daxdi cannot start: the folder of the Sqlite store, {Path.Combine(notAFolder, "data")}, cannot be created",
            error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_postgresql_store_stops_start_up_without_showing_the_connection_string()
    {
        await using var store = await TestStore.PostgreSqlAsync();
        Assert.SkipWhen(store.SkipReason is not null, store.SkipReason ?? "");
        await using (var api = new ApiFactory(store) { OwnsStore = false })
        {
            api.Admin().Dispose();
        }

        var readOnly = new NpgsqlConnectionStringBuilder(store.ConnectionString) { Options = "-c default_transaction_read_only=on" };
        using var folder = new TempFolder();
        var error = await FailedStartAsync(folder, ("Database__Provider", "PostgreSql"), ("ConnectionStrings__Daxdi", readOnly.ConnectionString));

        Assert.StartsWith($"Daxdi cannot start: the PostgreSql store (database {readOnly.Database} on {readOnly.Host}:{readOnly.Port}) is read-only",
            error, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Username", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_postgresql_server_that_does_not_answer_stops_start_up()
    {
        using var folder = new TempFolder();
        var error = await FailedStartAsync(folder, ("Database__Provider", "PostgreSql"),
            ("ConnectionStrings__Daxdi", "Host=127.0.0.1;Port=1;Database=daxdi;Username=daxdi;Password=not-shown-anywhere"));

        Assert.StartsWith("Daxdi cannot start: the PostgreSql store (database daxdi on 127.0.0.1:1) cannot be opened", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-shown-anywhere", error, StringComparison.Ordinal);
    }

    /// <summary>A store file in <paramref name="folder"/> that a first start migrated and gave its admin key.</summary>
    private static async Task<string> MigratedSqliteFileAsync(TempFolder folder)
    {
        var file = Path.Combine(folder.Path, "daxdi.db");
        await using (var api = new ApiFactory(TestStore.Sqlite()))
        {
            await using var onFile = api.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Daxdi", $"Data Source={file}"));
            onFile.CreateClient().Dispose();
        }

        SqliteConnection.ClearAllPools();
        return file;
    }

    /// <summary>Starts the API with the bootstrap key it already has, waits for it to exit, and checks the one-line failure.</summary>
    private static async Task<string> FailedStartAsync(TempFolder folder, params (string Name, string Value)[] environment)
    {
        using var host = ApiProcess.Start(folder.Path, ApiProcess.FreePort(),
            [("Bootstrap__AdminApiKey", ApiFactory.AdminKey), ("Seed__DemoContent", "false"), .. environment]);
        await host.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var error = host.Errors.ToString().Trim();
        Assert.Equal(1, host.Process.ExitCode);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        return error;
    }

    private static async Task<bool> ChattrAsync(string attribute, string file)
    {
        try
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr", [attribute, file]) { RedirectStandardError = true })!;
            await chattr.WaitForExitAsync(Ct);
            return chattr.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
