using Segel.Core.Kernel;
using Segel.Core.Supervision;

namespace Segel.Server.Jobs;

/// <summary>
/// Signs a transparency log head every five minutes when the log has grown: a new certificate, revocation or
/// signature is provably in the public log within minutes (RFC 9162's maximum merge delay, kept short).
/// </summary>
public sealed class TransparencyHeadJob(TransparencyLog log, TimeProvider time, ILogger<TransparencyHeadJob> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => log.SignHeadAsync(Principal.System, cancellationToken);
}
