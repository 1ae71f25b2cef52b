using System.Globalization;

namespace Segel.Core.Supervision;

/// <summary>The report's named figures, in the order a report reads, shared by every format it is written in.</summary>
internal static class ReportItems
{
    public static IEnumerable<(string Item, string Value)> Facts(PeriodReport report) =>
    [
        ("period", report.Period.Name),
        ("from", report.Period.From.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
        ("to", report.Period.To.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
        ("agency", report.Agency ?? "all"),
        ("generated", report.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        ("audit-intact", report.AuditIntact ? "yes" : "no"),
    ];

    /// <summary>Counts and hours; an hour figure is null when nothing was decided.</summary>
    public static IEnumerable<(string Item, double? Value)> Applications(ApplicationFigures figures) =>
    [
        ("received", figures.Received),
        ("approved", figures.Approved),
        ("sent-back", figures.SentBack),
        ("turnaround-median-hours", figures.TurnaroundMedianHours),
        ("turnaround-p90-hours", figures.TurnaroundP90Hours),
    ];

    public static IEnumerable<(string Item, long Value)> Certificates(PeriodReport report) =>
    [
        ("issued", report.Certificates.Issued),
        ("renewed", report.Certificates.Renewed),
        ("reissued", report.Certificates.Reissued),
        ("expired-without-renewal", report.Certificates.ExpiredWithoutRenewal),
        ("expiring-next-90-days", report.Certificates.ExpiringNext90Days),
        ("issued-outside-ra", report.IssuedOutsideRa),
    ];

    public static IEnumerable<(string Item, long Value)> Keys(PeriodReport report) => [("lockouts", report.KeyLockouts), ("unlocks", report.KeyUnlocks)];

    /// <summary>Complaints filed and closed in the period; none for an agency's report.</summary>
    public static IEnumerable<(string Item, long Value)> Complaints(PeriodReport report) =>
        report.ComplaintsReceived is int received ? [("received", received), ("closed", report.ComplaintsClosed ?? 0)] : [];

    /// <summary>A finding's status at the period's end: open, overdue (open past its due date) or closed.</summary>
    public static string Status(FindingView finding) => finding.Open ? finding.Overdue ? "overdue" : "open" : "closed";
}
