using Segel.Core.Supervision;

namespace Segel.Server.Jobs;

/// <summary>Looks every hour for a half-year or year that has just ended; the core generates its reports once across nodes.</summary>
public sealed class ReportScheduleJob(ScheduledReports reports, TimeProvider time, ILogger<ReportScheduleJob> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => reports.RunDueAsync(cancellationToken);
}
