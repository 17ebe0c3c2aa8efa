using Daxdi.Infrastructure.Persistence;
using Daxdi.Infrastructure.Persistence.Providers;
using Daxdi.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Daxdi.Tests.Platform;

public sealed class MigrationTests
{
    private static readonly string[] Tables = ["ApiKeys", "Sites"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Contexts => new() { "Sqlite", "SqlServer", "PostgreSql" };

    private static DaxdiDbContext DesignTimeContext(string provider) => provider switch
    {
        "Sqlite" => new SqliteDaxdiDbContext(new DbContextOptionsBuilder<SqliteDaxdiDbContext>()
            .UseSqlite("Data Source=:memory:").Options),
        "SqlServer" => new SqlServerDaxdiDbContext(new DbContextOptionsBuilder<SqlServerDaxdiDbContext>()
            .UseSqlServer("Server=unused;Database=daxdi").Options),
        _ => new PostgreSqlDaxdiDbContext(new DbContextOptionsBuilder<PostgreSqlDaxdiDbContext>()
            .UseNpgsql("Host=unused;Database=daxdi").Options),
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Every_provider_has_migrations_matching_the_model(string provider)
    {
        using var db = DesignTimeContext(provider);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} model has changes without a migration. Add one with: dotnet ef migrations add <Name> " +
            $"--context {provider}DaxdiDbContext --output-dir Persistence/Migrations/{provider} " +
            $"--namespace Daxdi.Infrastructure.Persistence.Migrations.{provider} --project src/Daxdi.Infrastructure --startup-project src/Daxdi.Infrastructure");
    }

    [Fact]
    public async Task Migrations_apply_to_a_fresh_sqlite_file()
    {
        await using var api = new ApiFactory(TestStore.Sqlite());
        var ready = await api.Client().GetAsync("/health/ready", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);

        await using var connection = new SqliteConnection(api.Store.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Superset(Tables.Append("__EFMigrationsHistory").ToHashSet(), tables.ToHashSet());
        using var scope = api.Services.CreateScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<DaxdiDbContext>().Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task Migrations_apply_to_a_real_postgresql_database()
    {
        await using var api = new ApiFactory(await TestStore.PostgreSqlAsync());
        var ready = await api.Client().GetAsync("/health/ready", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);

        await using var connection = new NpgsqlConnection(api.Store.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        var tables = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Superset(Tables.Append("__EFMigrationsHistory").ToHashSet(), tables);
    }

    [Fact]
    public void The_sql_server_idempotent_script_creates_every_table_behind_history_guards()
    {
        using var db = DesignTimeContext("SqlServer");
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();

        var script = migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var table in Tables)
        {
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        }

        Assert.Contains("IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL", script, StringComparison.Ordinal);
        foreach (var migration in migrations)
        {
            var guard = $"IF NOT EXISTS (\n    SELECT * FROM [__EFMigrationsHistory]\n    WHERE [MigrationId] = N'{migration}'\n)";
            Assert.Contains(guard, script.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }

        // Each CREATE TABLE of a migration sits behind its own history guard.
        var guards = script.Split("WHERE [MigrationId] = N'").Length - 1;
        var migrationTables = script.Split("CREATE TABLE [").Length - 2; // the history table has its own OBJECT_ID guard
        Assert.True(guards >= migrationTables, $"{guards} guards for {migrationTables} CREATE TABLE statements");
    }
}
