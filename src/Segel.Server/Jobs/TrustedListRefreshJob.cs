using Microsoft.Extensions.Logging;
using Segel.Core.Ca;

namespace Segel.Server.Jobs;

/// <summary>
/// Keeps the configured trusted lists fresh (issue 21.3) outside any request: <see cref="TrustAnchors.RefreshAsync"/>
/// fetches when the last fetch is an hour old, or five minutes after a failure, so asking every minute costs nothing.
/// </summary>
public sealed class TrustedListRefreshJob(TrustAnchors anchors, TimeProvider time, ILogger<TrustedListRefreshJob> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => anchors.RefreshAsync(cancellationToken);
}
