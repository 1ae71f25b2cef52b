using Segel.Core.Ca;

namespace Segel.Server.Jobs;

/// <summary>
/// Keeps every CRL fresh: republishes when one is due for refresh or misses a revocation. Safe on several
/// nodes at once — whoever loses the race for a CRL number retries and finds nothing left to do.
/// </summary>
public sealed partial class CrlRefreshJob(CrlPublisher crls, Authorities authorities, TimeProvider time, ILogger<CrlRefreshJob> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        int published = await crls.PublishDueAsync(await authorities.GetIssuersAsync(cancellationToken), cancellationToken);
        if (published > 0)
        {
            LogPublished(logger, published);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} CRL(s).")]
    private static partial void LogPublished(ILogger logger, int count);
}
