using Segel.Core.Accounts;
using Segel.Core.Audit;
using Segel.Core.Kernel;
using Segel.Core.Supervision;

namespace Segel.Server.Jobs;

/// <summary>Signs the audit chain's head every 15 minutes when it has grown, so no cut at its end goes unseen for long.</summary>
public sealed class AuditCheckpointJob(AuditCheckpoints checkpoints, TimeProvider time, ILogger<AuditCheckpointJob> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(15);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => checkpoints.CreateAsync(Principal.System, cancellationToken);
}
