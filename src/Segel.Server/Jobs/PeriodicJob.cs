using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Segel.Server.Jobs;

/// <summary>
/// Runs <see cref="RunOnceAsync"/> at start and then every <see cref="Interval"/> on the CA's clock. A failed
/// round is logged and retried at the next tick: a job must never die and take its duty with it.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // see the class summary
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, GetType().Name, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; retrying at the next interval.")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}
