using Microsoft.Extensions.Logging;
using Segel.Core;

namespace Segel.Server.Jobs;

/// <summary>Looks for certificates due a renewal reminder every hour; the core makes each reminder once-only across nodes.</summary>
public sealed class RenewalReminderJob(SegelCa ca, ILogger<RenewalReminderJob> logger) : PeriodicJob(ca.Time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => ca.Reminders.RunAsync(cancellationToken);
}
