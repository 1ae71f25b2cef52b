using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Segel.Core.Configuration;

namespace Segel.Core.Storage;

/// <summary>Opens Segel's database for the configured provider and brings its schema up to date.</summary>
internal sealed class SegelDatabase
{
    private readonly Func<SegelDbContext> _create;
    private readonly AuditChain? _auditChain;

    public SegelDatabase(DatabaseOptions options, string dataDirectory, AuditChain? auditChain = null)
    {
        _auditChain = auditChain;
        ArgumentNullException.ThrowIfNull(options);
        Provider = ParseProvider(options.Provider);
        if (Provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(options.ConnectionString)
                ? $"Data Source={Path.Combine(dataDirectory, "segel.db")}"
                : options.ConnectionString)
            {
                // Writers from several processes (segel serve beside a segel CLI command) wait rather than fail.
                DefaultTimeout = 30,
                Pooling = true,
            };
            ConnectionString = builder.ConnectionString;
            var sqlite = new DbContextOptionsBuilder<SqliteSegelDbContext>().UseSqlite(ConnectionString).AddInterceptors(SqliteBusyTimeout.Instance).Options;
            _create = () => new SqliteSegelDbContext(sqlite);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new Errors.SegelException(Errors.ErrorKind.Invalid, $"Database:ConnectionString is required for PostgreSQL.", "Database:ConnectionString");
            }
            ConnectionString = options.ConnectionString;
            var postgres = new DbContextOptionsBuilder<PostgresSegelDbContext>().UseNpgsql(ConnectionString).Options;
            _create = () => new PostgresSegelDbContext(postgres);
        }
    }

    // An arbitrary constant naming "the schema" among advisory locks (the audit chain's is another).
    private const long MigrationLock = 0x5365_6765_6C53_6368;

    public DatabaseProvider Provider { get; }

    /// <summary>Who hears of a row that failed its seal (the administrators, by e-mail); set where the core is wired.</summary>
    internal ISealBreachNotice? BreachNotice { get; set; }

    public string ConnectionString { get; }

    public SegelDbContext CreateContext()
    {
        SegelDbContext db = _create();
        db.AuditChain = _auditChain;
        db.Owner = this;
        return db;
    }

    /// <summary>Creates a new database, or upgrades an existing one when <paramref name="upgrade"/> (see <see cref="DatabaseSchema"/>).</summary>
    public async Task MigrateAsync(bool upgrade, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets OCSP reads go on while a revocation commits; the setting persists in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        else
        {
            // Nodes starting together on a new database take turns: EF Core's own migration lock did not keep two
            // PostgreSQL migrators apart here. A session lock, released below or with the connection.
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        }
        try
        {
            SchemaState state = await DatabaseSchema.StateAsync(db, cancellationToken);
            // On SQLite (PostgreSQL holds the lock above), part-way between empty and this release's schema may be another process creating the database;
            // while its migrations keep landing, wait for them rather than take it for an earlier release's.
            for (int round = 0; Provider == DatabaseProvider.Sqlite && !upgrade && !state.IsEmpty && state.Pending.Count > 0 && state.Newer.Count == 0 && round < 30; round++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // a wait for another process, not a rule of time
                SchemaState again = await DatabaseSchema.StateAsync(db, cancellationToken);
                if (again.Applied.Count == state.Applied.Count)
                {
                    break;
                }
                state = again;
            }
            state.Require(upgrade);
            if (state.Pending.Count > 0)
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
        }
        finally
        {
            if (Provider == DatabaseProvider.Postgres)
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// After secrets were erased (destroyed keys): on SQLite, a truncating WAL checkpoint, so the page images written before
    /// the erasure — still holding the secret in the write-ahead log — are copied over and the log emptied; the main file's
    /// old cells were zeroed by <c>secure_delete</c> already. PostgreSQL has no equivalent a client can ask for (its dead row
    /// versions stay until VACUUM, and VACUUM does not zero them).
    /// </summary>
    public async Task ForgetFreedPagesAsync(CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            await using SegelDbContext db = CreateContext();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        }
    }

    public const string StatusChannel = DatabaseLocation.StatusChannel;

    /// <summary>
    /// Tells other nodes, when the caller's transaction commits, that certificate status changed. PostgreSQL
    /// delivers NOTIFY only on commit; SQLite nodes share one file and detect the change themselves.
    /// </summary>
    public async Task SignalStatusChangeAsync(SegelDbContext db, string issuerSlug, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({StatusChannel}, {issuerSlug})", cancellationToken);
        }
    }

    /// <summary>True when the exception is a unique-constraint violation (serial or CRL number taken by another node).</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception?.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    public static DatabaseProvider ParseProvider(string? name) => (name ?? "").Trim().ToUpperInvariant() switch
    {
        "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" or "NPGSQL" => DatabaseProvider.Postgres,
        _ => throw new Errors.SegelException(Errors.ErrorKind.Invalid, $"Unknown database provider '{name}'. Use sqlite or postgres.", "Database:Provider"),
    };
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
