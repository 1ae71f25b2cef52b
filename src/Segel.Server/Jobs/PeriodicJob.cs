using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Segel.Core.Kernel;

namespace Segel.Server.Jobs;

/// <summary>
/// Runs <see cref="RunOnceAsync"/> at start and then <see cref="Interval"/> after each round ends, on the CA's
/// clock. A failed round is logged and retried at the next round: a job must never die and take its duty with
/// it. One-shot waits rather than a periodic timer: when the clock jumps (a test's fake clock, a resumed VM),
/// the job runs once at the new time instead of once for every interval skipped.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Each round under its own id, in its log lines and in the audit entries it writes, as a request's are.
            string round = $"job:{GetType().Name}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            using IDisposable correlation = RequestCorrelation.Begin(round);
            using IDisposable? scope = logger.BeginScope(new Dictionary<string, object?> { ["RequestId"] = round });
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
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; retrying at the next interval.")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}
