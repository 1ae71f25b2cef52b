using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Segel.Core.Configuration;
using Segel.Core.Storage;

namespace Segel.Testing;

/// <summary>
/// A database as an earlier or a later release left it, for the upgrade tests (issue 25.5): rolled back one migration
/// with EF Core's own migrator (the Down steps the release ships), or carrying a migration this release does not know.
/// </summary>
public static class SchemaHistory
{
    public const string FromTheFuture = "29991231000000_FromTheFuture";

    /// <summary>Rolls the schema back to the migration before the newest; returns that one and the newest.</summary>
    public static async Task<(string Previous, string Newest)> RollBackOneAsync(DatabaseOptions options, string dataDirectory)
    {
        await using SegelDbContext db = new SegelDatabase(options, dataDirectory).CreateContext();
        string[] known = [.. db.Database.GetMigrations()];
        await db.GetService<IMigrator>().MigrateAsync(known[^2]);
        return (known[^2], known[^1]);
    }

    /// <summary>Records a migration no release so far has, as if a newer release had upgraded the database.</summary>
    public static async Task AddFutureAsync(DatabaseOptions options, string dataDirectory)
    {
        await using SegelDbContext db = new SegelDatabase(options, dataDirectory).CreateContext();
        await db.Database.ExecuteSqlAsync($"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ({FromTheFuture}, '99.0.0')");
    }
}
