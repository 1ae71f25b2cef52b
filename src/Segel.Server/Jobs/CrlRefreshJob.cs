using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Segel.Core;

namespace Segel.Server.Jobs;

/// <summary>
/// Keeps every CRL fresh: republishes when one is due for refresh or misses a revocation. Safe on several
/// nodes at once — whoever loses the race for a CRL number retries and finds nothing left to do.
/// </summary>
public sealed partial class CrlRefreshJob(SegelCa ca, ILogger<CrlRefreshJob> logger) : BackgroundService
{
    public static TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, ca.Time);
        do
        {
            try
            {
                int published = await ca.Crls.PublishDueAsync(await ca.Ring.GetIssuersAsync(stoppingToken), stoppingToken);
                if (published > 0)
                {
                    LogPublished(logger, published);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round is logged and retried at the next tick; the job must not die.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} CRL(s).")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "CRL refresh failed; retrying at the next interval.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
