using Segel.Core.Custody;

namespace Segel.Server.Jobs;

/// <summary>
/// Destroys the kept keys of revoked and long-expired certificates every five minutes (Pasal 19(g)); "at revocation" means
/// within that. The core makes each destruction once-only across nodes.
/// </summary>
public sealed class KeyDestructionJob(KeyDestruction destruction, TimeProvider time, ILogger<KeyDestructionJob> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => destruction.RunAsync(cancellationToken);
}
