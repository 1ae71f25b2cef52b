using Microsoft.Data.Sqlite;

namespace Segel.Server.Status;

/// <summary>
/// SQLite nodes share one file, and <c>segel cert revoke</c> may run in another process beside the server.
/// <c>PRAGMA data_version</c> changes when any other connection commits and costs no I/O in WAL mode; only
/// then is the revoked-row count (which never falls) read, to ignore writes that are not revocations.
/// </summary>
public sealed class SqliteStatusChangeProbe : IStatusChangeProbe, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _dataVersion;
    private readonly SqliteCommand _revokedCount;
    private long _lastVersion;
    private long _lastRevoked;

    public SqliteStatusChangeProbe(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _dataVersion = _connection.CreateCommand();
        _dataVersion.CommandText = "PRAGMA data_version;";
        _revokedCount = _connection.CreateCommand();
        _revokedCount.CommandText = "SELECT count(*) FROM certificates WHERE \"RevokedAt\" IS NOT NULL;";
        _lastVersion = (long)_dataVersion.ExecuteScalar()!;
        _lastRevoked = (long)_revokedCount.ExecuteScalar()!;
    }

    public bool Changed()
    {
        lock (_gate)
        {
            long version = (long)_dataVersion.ExecuteScalar()!;
            if (version == _lastVersion)
            {
                return false;
            }
            _lastVersion = version;
            long revoked = (long)_revokedCount.ExecuteScalar()!;
            if (revoked == _lastRevoked)
            {
                return false;
            }
            _lastRevoked = revoked;
            return true;
        }
    }

    public void Dispose()
    {
        _dataVersion.Dispose();
        _revokedCount.Dispose();
        _connection.Dispose();
    }
}
