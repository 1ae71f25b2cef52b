using Microsoft.Extensions.Logging;
using Npgsql;
using Segel.Core;
using Segel.Core.Ca;

namespace Segel.Server.Status;

/// <summary>
/// Listens for the NOTIFY a revocation sends on commit, on any node, and empties this node's OCSP cache.
/// While it is not listening (at start, or after a lost connection) it reports a change on every request,
/// so that the responder caches nothing it might not hear about.
/// </summary>
public sealed partial class PostgresStatusListener : BackgroundService, IStatusChangeProbe
{
    private volatile bool _listening;

    private readonly string _connectionString;
    private readonly OcspService _ocsp;
    private readonly ILogger<PostgresStatusListener> _logger;

    public PostgresStatusListener(DatabaseLocation database, OcspService ocsp, ILogger<PostgresStatusListener> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        _connectionString = database.ConnectionString;
        _ocsp = ocsp;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => _ocsp.Invalidate();
                await using (var listen = new NpgsqlCommand($"LISTEN {DatabaseLocation.StatusChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                _listening = true;
                _ocsp.Invalidate();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever broke the connection, the listener must live on: a dead one would stop the host.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _listening = false;
                _ocsp.Invalidate();
                LogLost(_logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>True while not listening: the caller then empties its cache, which amounts to not caching.</summary>
    public bool Changed() => !_listening;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the PostgreSQL status-change listener ({Reason}); reconnecting.")]
    private static partial void LogLost(ILogger logger, string reason);
}
