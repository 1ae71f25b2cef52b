using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Segel.Core.Storage;

/// <summary>
/// Lets SQLite itself wait for a busy database (PRAGMA busy_timeout, which retries within milliseconds) instead of
/// Microsoft.Data.Sqlite's managed retry, which sleeps 150 ms each time. With several requests committing at once
/// (remote signing: every signature is a write) the managed retry alone cut throughput by more than half.
/// Also <c>secure_delete</c>: a page freed or rewritten (a document sealed in place, a delivered mail's body erased) is
/// overwritten with zeros, so what was once in clear does not linger in the file.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using DbCommand command = Pragma(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using DbCommand command = Pragma(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Pragma(DbConnection connection)
    {
        DbCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA secure_delete = ON;";
        return command;
    }
}
