using Microsoft.Extensions.Logging;
using Segel.Core.Notifications;

namespace Segel.Server.Jobs;

/// <summary>
/// Delivers queued notices: at once when this node queued one, and every minute for what other nodes queued or
/// what failed before (the outbox backs off per message).
/// </summary>
public sealed partial class MailOutboxJob(MailOutbox outbox, TimeProvider time, ILogger<MailOutboxJob> logger) : BackgroundService
{
    private readonly Nudge _nudge = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        outbox.Queued += (_, _) => _nudge.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await outbox.DeliverAsync(stoppingToken);
                await _nudge.WaitAsync(TimeSpan.FromMinutes(1), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed round must not end delivery for good
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        _nudge.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering queued mail failed; retrying.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
