using Segel.Core.Custody;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Organization;
using Segel.Core.Signing;
using Segel.Server.Portal;

namespace Segel.Server.Pages;

/// <summary>What needs the signed-in person's attention, per role, each with the way to it.</summary>
public sealed class DashboardModel(EmployeeDirectory employees, EnrollmentQueries enrollmentQueries, OwnKeys ownKeys, RevocationRequestQueries revocationQueries) : PortalPage
{
    public AgencyView? Agency { get; private set; }

    public int Drafts { get; private set; }

    public int Waiting { get; private set; }

    public int SentBack { get; private set; }

    public int PendingRevocations { get; private set; }

    public OwnKeyOverview? Own { get; private set; }

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
    }
}
