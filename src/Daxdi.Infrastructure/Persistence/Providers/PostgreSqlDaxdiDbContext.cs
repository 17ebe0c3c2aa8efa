using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Daxdi.Infrastructure.Persistence.Providers;

/// <summary>PostgreSQL (Npgsql). Migrations: <c>Migrations/PostgreSql</c>.</summary>
public sealed class PostgreSqlDaxdiDbContext(DbContextOptions<PostgreSqlDaxdiDbContext> options) : DaxdiDbContext(options);

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without a server (it never connects).</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlDaxdiDbContext>
{
    public PostgreSqlDaxdiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlDaxdiDbContext>().UseNpgsql("Host=design;Database=daxdi").Options);
}
