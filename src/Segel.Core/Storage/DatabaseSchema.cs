using Microsoft.EntityFrameworkCore;
using Segel.Core.Kernel;

namespace Segel.Core.Storage;

/// <summary>
/// Upgrades (issue 25.5): a new database is created at this release's schema, but an existing one is changed only when
/// the operator asks — <c>segel migrate</c>, which takes a backup first, or <c>Database:MigrateOnStart</c> — and a
/// database a newer release has changed is never opened by an older one.
/// </summary>
public sealed class DatabaseSchema
{
    private readonly SegelDatabase _database;

    internal DatabaseSchema(SegelDatabase database) => _database = database;

    public async Task<SchemaState> GetAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "read-the-database-schema");
        await using SegelDbContext db = _database.CreateContext();
        return await StateAsync(db, cancellationToken);
    }

    /// <summary>Brings an existing database to this release's schema; the caller has taken a backup.</summary>
    public async Task<SchemaState> MigrateAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "upgrade-the-database-schema");
        await _database.MigrateAsync(upgrade: true, cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        return await StateAsync(db, cancellationToken);
    }

    internal static async Task<SchemaState> StateAsync(SegelDbContext db, CancellationToken cancellationToken)
    {
        return new SchemaState([.. await db.Database.GetAppliedMigrationsAsync(cancellationToken)], [.. db.Database.GetMigrations()]);
    }
}
