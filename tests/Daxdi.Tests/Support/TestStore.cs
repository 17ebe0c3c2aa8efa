using Npgsql;

namespace Daxdi.Tests.Support;

/// <summary>
/// A fresh, real database for one test class: a new SQLite file, or a new database on the PostgreSQL server
/// named by <c>DAXDI_TEST_POSTGRES</c>. Never shared between classes.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    public const string PostgresVariable = "DAXDI_TEST_POSTGRES";

    private readonly Func<ValueTask> _cleanup;

    private TestStore(string provider, string? connectionString, string? skipReason, Func<ValueTask> cleanup)
    {
        Provider = provider;
        ConnectionString = connectionString;
        SkipReason = skipReason;
        _cleanup = cleanup;
    }

    public string Provider { get; }

    public string? ConnectionString { get; }

    /// <summary>Why this store cannot be used here (its server is not configured); tests then skip with this reason.</summary>
    public string? SkipReason { get; }

    public static TestStore Sqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "daxdi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "daxdi.db");
        return new TestStore("Sqlite", $"Data Source={file}", null, () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a finishing host; the temp folder is cleaned by the OS.
            }

            return ValueTask.CompletedTask;
        });
    }

    public static async Task<TestStore> PostgreSqlAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            return new TestStore("PostgreSql", null,
                $"PostgreSQL is not configured: set {PostgresVariable} to a connection string (bash .ci/run does).",
                () => ValueTask.CompletedTask);
        }

        var name = $"daxdi_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestStore("PostgreSql", connectionString, null, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }

    public ValueTask DisposeAsync() => _cleanup();
}
