using Microsoft.Extensions.Logging;
using Segel.Core.Ca;
using Segel.Core.Kernel;

namespace Segel.Server.Jobs;

/// <summary>
/// Hourly, Segel's record of the upstream CA's certificates is brought in step with the upstream's own status
/// (<see cref="UpstreamStatus"/>; issue 21.2). Nothing happens without a configured upstream.
/// </summary>
public sealed partial class UpstreamStatusJob(UpstreamStatus status, TimeProvider time, ILogger<UpstreamStatusJob> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        UpstreamStatusRound round = await status.CheckAsync(Principal.System, cancellationToken);
        if (round.RecordedRevoked > 0 || round.RevocationsSent > 0)
        {
            LogChanged(logger, round.RecordedRevoked, round.RevocationsSent);
        }
        if (round.Unknown > 0)
        {
            LogUnknown(logger, round.Unknown, round.Checked);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The upstream CA had revoked {Recorded} certificate(s), now recorded here; {Sent} revocation(s) recorded here were sent to it again.")]
    private static partial void LogChanged(ILogger logger, int recorded, int sent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The upstream CA's status of {Unknown} of {Checked} certificate(s) could not be had; asked again next hour.")]
    private static partial void LogUnknown(ILogger logger, int unknown, int @checked);
}
