using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Daxdi.Infrastructure.Persistence.Providers;

/// <summary>SQL Server. Migrations: <c>Migrations/SqlServer</c>.</summary>
public sealed class SqlServerDaxdiDbContext(DbContextOptions<SqlServerDaxdiDbContext> options) : DaxdiDbContext(options);

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context without a server (it never connects).</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerDaxdiDbContext>
{
    public SqlServerDaxdiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerDaxdiDbContext>().UseSqlServer("Server=design;Database=daxdi").Options);
}
