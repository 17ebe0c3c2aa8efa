using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Daxdi.Tests.Articles;
using Daxdi.Tests.Consent;
using Daxdi.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Daxdi.Tests.Platform;

/// <summary>
/// The backup and restore procedures of docs/operations.md, exercised: a backup taken while the API runs and writes,
/// restored into a new store, serves what was written before the backup (articles, consent records whose chain
/// verifies) and nothing written after it.
/// </summary>
public sealed class BackupRestoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_SQLite_online_backup_restores_into_a_working_store()
    {
        await using var restored = TestStore.Sqlite();
        await AssertBackupRestoresAsync(TestStore.Sqlite(), restored, async source =>
        {
            // What the runbook's `sqlite3 daxdi.db "VACUUM INTO '…'"` runs: a consistent copy, taken while others write.
            await using var connection = new SqliteConnection(source.ConnectionString);
            await connection.OpenAsync(Ct);
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $file";
            vacuum.Parameters.AddWithValue("$file", new SqliteConnectionStringBuilder(restored.ConnectionString).DataSource);
            await vacuum.ExecuteNonQueryAsync(Ct);
        });
    }

    [Fact]
    public async Task A_PostgreSQL_dump_restores_into_a_working_store()
    {
        var source = await TestStore.PostgreSqlAsync();
        await using var restored = await TestStore.PostgreSqlAsync();
        Assert.SkipWhen(source.SkipReason is not null, source.SkipReason ?? "");
        var dump = Path.Combine(Path.GetTempPath(), $"daxdi-{Guid.NewGuid():N}.dump");
        try
        {
            await AssertBackupRestoresAsync(source, restored, async from =>
            {
                await RunAsync("pg_dump", from.ConnectionString!, ["--format=custom", $"--file={dump}"]);
                await RunAsync("pg_restore", restored.ConnectionString!, ["--no-owner", "--exit-on-error", dump]);
            });
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>
    /// Writes an article and consent decisions on a host of <paramref name="source"/>, backs it up while decisions keep
    /// coming, writes once more, then starts a host on <paramref name="restored"/>.
    /// </summary>
    private static async Task AssertBackupRestoresAsync(TestStore source, TestStore restored, Func<TestStore, Task> backUp)
    {
        // The key ring that encrypts the consent receipt keys is part of the backup: without it the restored store
        // cannot sign receipts (each decision answers 500 and logs why until the receipt key is rotated).
        var ring = Directory.CreateTempSubdirectory("daxdi-ring-").FullName;
        var ringCopy = Directory.CreateTempSubdirectory("daxdi-ring-restored-").FullName;
        try
        {
            await AssertBackupRestoresAsync(source, restored, backUp, ring, ringCopy);
        }
        finally
        {
            Directory.Delete(ring, recursive: true);
            Directory.Delete(ringCopy, recursive: true);
        }
    }

    private static async Task AssertBackupRestoresAsync(TestStore source, TestStore restored, Func<TestStore, Task> backUp, string ring, string ringCopy)
    {
        JsonElement kept, later;
        string page;
        ConsentSite consent;
        long chainAtBackup;
        await using (var api = new ApiFactory(source, ("Consent:KeyRingPath", ring)))
        {
            var room = await Newsroom.CreateAsync(api);
            consent = await ConsentSite.CreateAsync(api);
            kept = await room.PublishedAsync(Newsroom.Draft(title: "Kept by the backup"));
            page = await api.Client().GetStringAsync($"{room.Public}/articles/{kept.Str("slug")}", Ct);
            for (var i = 0; i < 5; i++)
            {
                await consent.RecordAsync(new { policyVersion = 1, decision = "acceptAll", control = "accept", subjectId = $"before-backup-{i}" });
            }

            using var writing = new CancellationTokenSource();
            var decisions = Task.Run(async () =>
            {
                for (var i = 0; !writing.IsCancellationRequested; i++)
                {
                    await consent.RecordAsync(new { policyVersion = 1, decision = "rejectAll", control = "reject", subjectId = $"during-backup-{i}" });
                }
            }, Ct);
            await Task.Delay(200, Ct);
            await backUp(source);
            foreach (var key in Directory.GetFiles(ring))
            {
                File.Copy(key, Path.Combine(ringCopy, Path.GetFileName(key)));
            }

            await writing.CancelAsync();
            await decisions;
            chainAtBackup = (await consent.VerifyAsync()).GetProperty("length").GetInt64();
            later = await room.PublishedAsync(Newsroom.Draft(title: "Written after the backup"));
        }

        await using var back = new ApiFactory(restored, ("Consent:KeyRingPath", ringCopy)) { OwnsStore = false };
        var site = kept.Str("site") ?? throw new InvalidOperationException("The article names no site.");
        Assert.Equal(page, await back.Client().GetStringAsync($"/api/v1/sites/{site}/articles/{kept.Str("slug")}", Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await back.Client().GetAsync($"/api/v1/sites/{site}/articles/{later.Str("slug")}", Ct)).StatusCode);

        var chain = await consent.On(back).VerifyAsync();
        Assert.True(chain.GetProperty("ok").GetBoolean(), chain.GetRawText());
        Assert.InRange(chain.GetProperty("length").GetInt64(), 5, chainAtBackup);
        var subject = await consent.On(back).SubjectAsync("before-backup-4");
        Assert.Equal("acceptAll", subject.GetProperty("decision").GetString());

        // The restored store takes writes, appended to the restored chain.
        var appended = await consent.On(back).PostAsync(new { policyVersion = 1, decision = "acceptAll", control = "accept", subjectId = "after-restore" });
        Assert.True(appended.StatusCode == HttpStatusCode.Created, back.ErrorLog());
        Assert.True((await consent.On(back).VerifyAsync()).GetProperty("ok").GetBoolean());
    }

    /// <summary>Runs a PostgreSQL client program against <paramref name="connectionString"/>'s server and database.</summary>
    private static async Task RunAsync(string program, string connectionString, string[] arguments)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo(program, [$"--host={connection.Host}", $"--port={connection.Port}", $"--username={connection.Username}",
            $"--dbname={connection.Database}", .. arguments])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["PGPASSWORD"] = connection.Password;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {await output}{await errors}");
    }
}
