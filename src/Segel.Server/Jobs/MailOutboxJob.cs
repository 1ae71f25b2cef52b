using Microsoft.Extensions.Logging;
using Segel.Core.Notifications;

namespace Segel.Server.Jobs;

/// <summary>
/// Delivers queued notices: at once when this node queued one, and every minute for what other nodes queued or
/// what failed before (the outbox backs off per message).
/// </summary>
public sealed partial class MailOutboxJob(MailOutbox outbox, TimeProvider time, ILogger<MailOutboxJob> logger) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        outbox.Queued += (_, _) => _signal.Release();
        // One wait for the signal at a time: a wait that lost the race to the timer is kept, or it would swallow the next signal.
        Task? signalled = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await outbox.DeliverAsync(stoppingToken);
                signalled ??= _signal.WaitAsync(stoppingToken);
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                Task delay = Task.Delay(TimeSpan.FromMinutes(1), time, tick.Token);
                if (await Task.WhenAny(signalled, delay) == signalled)
                {
                    signalled = null;
                }
                await tick.CancelAsync();
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
        _signal.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering queued mail failed; retrying.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
