using Segel.Core.Custody;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Organization;
using Segel.Core.Signing;
using Segel.Core.Supervision;
using Segel.Server.Portal;

namespace Segel.Server.Pages;

/// <summary>
/// What needs the signed-in person's attention, per role, each with the way to it; and the figures of this year's
/// Pasal 25 report as charts: the regency's for supervisors, an agency's work units for its head (with whom to renew),
/// the RA's queue and pace for RA officers.
/// </summary>
public sealed class DashboardModel(EmployeeDirectory employees, EnrollmentQueries enrollmentQueries, OwnKeys ownKeys, RevocationRequestQueries revocationQueries,
    PeriodReports reports, TimeProvider time) : PortalPage
{
    /// <summary>How far ahead an agency head is shown the certificates to renew (the report's "expiring soon").</summary>
    public static readonly TimeSpan ExpiringWithin = EmployeeDirectory.ExpiringWithin;

    /// <summary>This year's report: the regency's for supervisors, the agency's for its head.</summary>
    public PeriodReport? Report { get; private set; }

    public IReadOnlyList<EmployeeView> Expiring { get; private set; } = [];

    public ReviewQueueFigures? Queue { get; private set; }

    public AgencyView? Agency { get; private set; }

    public int Drafts { get; private set; }

    public int Waiting { get; private set; }

    public int SentBack { get; private set; }

    public int PendingRevocations { get; private set; }

    public OwnKeyOverview? Own { get; private set; }

    /// <summary>A notice beside the e-mail about the same thing: its text, and where to act on it.</summary>
    public sealed record Notice(string Text, string? Link, string? LinkText, bool Urgent);

    /// <summary>What happened that the reader must act on, worked out from the record as it stands (nothing to dismiss or go stale).</summary>
    public List<Notice> Notices { get; } = [];

    public async Task OnGetAsync()
    {
        CancellationToken cancel = HttpContext.RequestAborted;
        if (Caller.Has(Role.AgencyHead | Role.RaOfficer | Role.Admin | Role.Auditor))
        {
            Waiting = (await enrollmentQueries.ListAsync(new EnrollmentFilter("submitted", Limit: 1), Caller, cancel)).Total;
        }
        if (Caller.Has(Role.AgencyHead))
        {
            Agency = (await employees.AgenciesAsync(Caller, Caller.AgencyId, cancel)) is [var own, ..] ? own : null;
            Drafts = (await enrollmentQueries.ListAsync(new EnrollmentFilter("draft", Limit: 1), Caller, cancel)).Total;
            SentBack = (await enrollmentQueries.ListAsync(new EnrollmentFilter("rejected", Limit: 1), Caller, cancel)).Total;
        }
        if (Caller.Has(Role.RaOfficer | Role.Admin))
        {
            PendingRevocations = (await revocationQueries.ListAsync("pending", null, 1, Caller, cancel)).Total;
        }
        if (Caller.EmployeeId is not null)
        {
            Own = await ownKeys.OverviewAsync(Caller, cancel);
        }
        if (Caller.Has(Role.Admin | Role.PolicyAdmin | Role.Auditor | Role.AgencyHead))
        {
            string year = time.GetUtcNow().ToOffset(ReportPeriod.Wita).Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Report = await reports.ComputeAsync(ReportPeriod.Parse(year), null, Caller, cancel);
        }
        if (Caller.Has(Role.AgencyHead))
        {
            Expiring = await employees.ExpiringAsync(ExpiringWithin, 20, Caller, cancel);
        }
        if (Caller.Has(Role.RaOfficer | Role.Admin | Role.Auditor))
        {
            Queue = await enrollmentQueries.QueueFiguresAsync(Caller, cancel);
        }
        await NoticesAsync(cancel);
    }

    private async Task NoticesAsync(CancellationToken cancel)
    {
        if (Caller.Has(Role.AgencyHead) && SentBack > 0)
        {
            foreach (EnrollmentSummary back in (await enrollmentQueries.ListAsync(new EnrollmentFilter("rejected", Limit: 5), Caller, cancel)).Items)
            {
                Notices.Add(new(string.Format(Language, Text["NoticeSentBack"], back.Id, back.Name), $"/permohonan/{back.Id}", Text["NoticeFixIt"], true));
            }
        }
        if (Own is { } own)
        {
            if (own.KeyLocked)
            {
                Notices.Add(new(Text["NoticeKeyLocked"], "/panduan", Text["NoticeWhatToDo"], true));
            }
            if (own.Certificates.FirstOrDefault(c => c.Current) is { } current && EmployeeDirectory.IsExpiring(current.NotAfter, Now))
            {
                Notices.Add(new(string.Format(Language, Text["NoticeExpiring"], PortalFormat.Date(current.NotAfter)), "/saya", Text["ManageCertificate"], false));
            }
        }
    }

    /// <summary>Employees and holders summed over the report's agencies.</summary>
    public (int Employees, int Holders) Totals => Report is null ? (0, 0) : (Report.Coverage.Sum(c => c.Employees), Report.Coverage.Sum(c => c.Holders));

    public static string Percent(double value) => value.ToString("0.0", System.Globalization.CultureInfo.CurrentCulture);
}
