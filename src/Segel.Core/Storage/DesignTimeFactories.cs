using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Segel.Core.Storage;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSegelDbContext>
{
    public SqliteSegelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSegelDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSegelDbContext>
{
    public PostgresSegelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSegelDbContext>().UseNpgsql("Host=localhost;Database=segel_design").Options);
}
