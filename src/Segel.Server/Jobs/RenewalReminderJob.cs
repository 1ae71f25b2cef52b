using Segel.Core.Lifecycle;

namespace Segel.Server.Jobs;

/// <summary>Looks for certificates due a renewal reminder every hour; the core makes each reminder once-only across nodes.</summary>
public sealed class RenewalReminderJob(RenewalReminders reminders, TimeProvider time, ILogger<RenewalReminderJob> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => reminders.RunAsync(cancellationToken);
}
