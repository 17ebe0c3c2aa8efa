using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Daxdi.Infrastructure.Persistence.Providers;

/// <summary>The embedded default store. Migrations: <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteDaxdiDbContext(DbContextOptions<SqliteDaxdiDbContext> options) : DaxdiDbContext(options);

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without the API host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDaxdiDbContext>
{
    public SqliteDaxdiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDaxdiDbContext>().UseSqlite("Data Source=design.db").Options);
}
