using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Segel.Core.Storage;

/// <summary>
/// Lets SQLite itself wait for a busy database (PRAGMA busy_timeout, which retries within milliseconds) instead of
/// Microsoft.Data.Sqlite's managed retry, which sleeps 150 ms each time. With several requests committing at once
/// (remote signing: every signature is a write) the managed retry alone cut throughput by more than half.
/// Also <c>secure_delete</c>: a page freed or rewritten (a document sealed in place, a delivered mail's body erased) is
/// overwritten with zeros, so what was once in clear does not linger in the file.
/// Both settings live on the native connection, which the pool keeps between opens, so they are sent once per native
/// connection, not on every open (an OCSP status lookup opens one: the extra statement cost it a fifth of its time).
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsPrepared(connection))
        {
            return;
        }
        using DbCommand command = Pragma(connection);
        command.ExecuteNonQuery();
        MarkPrepared(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsPrepared(connection))
        {
            return;
        }
        await using DbCommand command = Pragma(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkPrepared(connection);
    }

    private static bool IsPrepared(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Prepared.TryGetValue(handle, out _);

    private static void MarkPrepared(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            Prepared.AddOrUpdate(handle, Prepared);
        }
    }

    private static DbCommand Pragma(DbConnection connection)
    {
        DbCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA secure_delete = ON;";
        return command;
    }
}
