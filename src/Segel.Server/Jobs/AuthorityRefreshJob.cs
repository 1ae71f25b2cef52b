using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Server.Ocsp;

namespace Segel.Server.Jobs;

/// <summary>
/// Renews the OCSP responder when it is due, and re-reads the authorities so that a node picks up a
/// responder another node renewed. Runs at start and then hourly; a renewal happens a quarter of the
/// responder's lifetime before expiry, so every node has months to notice.
/// </summary>
public sealed partial class AuthorityRefreshJob(SegelCa ca, OcspService ocsp, ILogger<AuthorityRefreshJob> logger) : BackgroundService
{
    public static TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, ca.Time);
        do
        {
            try
            {
                ca.Ring.Reset();
                int renewed = await ca.ResponderRenewal.RenewDueAsync(Actor.System, stoppingToken);
                if (renewed > 0)
                {
                    LogRenewed(logger, renewed);
                }
                ocsp.Reload();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewed {Count} OCSP responder certificate(s).")]
    private static partial void LogRenewed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the authorities failed; retrying at the next interval.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
