using Microsoft.AspNetCore.Mvc;
using Segel.Core.Accounts;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Organization;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages;

/// <summary>
/// Employees with each person's certificate status: an agency head sees their own agency (and its coverage,
/// Pasal 10) and applies or asks for revocation from here; RA officers, administrators and auditors search everyone.
/// </summary>
[PortalAccess(Role.AgencyHead | Role.RaOfficer | Role.Admin | Role.Auditor)]
public sealed class StaffModel(EmployeeDirectory employees, AgencyRegistry registry, HolderKeyVault holderKeys) : PortalPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "instansi")]
    public string? AgencyCode { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "unit")]
    public int? WorkUnit { get; set; }

    [BindProperty(SupportsGet = true, Name = "hal")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The work units of the agency being looked at (the head's own, or the one chosen); empty for all agencies.</summary>
    public IReadOnlyList<WorkUnitView> WorkUnits { get; private set; } = [];

    public int Pages => Math.Max(1, (Staff.Total + PageSize - 1) / PageSize);

    public Page<EmployeeView> Staff { get; private set; } = new([], 0, 0, PageSize);

    public IReadOnlyList<AgencyView> Agencies { get; private set; } = [];

    public AgencyView? Own { get; private set; }

    public bool ActsForAgency => Caller.Has(Role.AgencyHead);

    public async Task<IActionResult> OnGetAsync()
    {
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        // An agency head sees their own agency only: counting every other one would be work thrown away.
        Agencies = await employees.AgenciesAsync(Caller, ActsForAgency ? Caller.AgencyId : null, HttpContext.RequestAborted);
        Own = Agencies.FirstOrDefault(a => a.Id == Caller.AgencyId);
        string? unitsOf = ActsForAgency ? Own?.Code : AgencyCode;
        if (!string.IsNullOrWhiteSpace(unitsOf) && Agencies.Any(a => string.Equals(a.Code, unitsOf, StringComparison.OrdinalIgnoreCase)))
        {
            WorkUnits = await registry.WorkUnitsAsync(unitsOf, Caller, HttpContext.RequestAborted);
        }
        try
        {
            Staff = await ListAsync();
            if (Staff.Items.Count == 0 && Staff.Total > 0)
            {
                // Past the last page (an old link, a hand-typed ?hal=): the last page, not "page 28 of 14".
                PageNumber = Pages;
                Staff = await ListAsync();
            }
        }
        catch (SegelException e)
        {
            return Failed(e, e.Field == "status" ? nameof(Status) : "q");
        }
        return Page();
    }

    private Task<Page<EmployeeView>> ListAsync() =>
        employees.ListAsync(new StaffQuery(AgencyCode, Search, Status, WorkUnits.Any(u => u.Id == WorkUnit) ? WorkUnit : null, (PageNumber - 1) * PageSize, PageSize),
            Caller, HttpContext.RequestAborted);

    /// <summary>This list's address with another page number, keeping every filter.</summary>
    public string Link(int page) =>
        $"?q={Uri.EscapeDataString(Search ?? "")}&instansi={Uri.EscapeDataString(AgencyCode ?? "")}&status={Uri.EscapeDataString(Status ?? "")}&unit={WorkUnit}&hal={page}";

    /// <summary>An RA officer unlocks a holder's key after wrong passphrases, once the holder's identity is checked (Pasal 16).</summary>
    public Task<IActionResult> OnPostUnlockAsync(string nip) => ActAsync(async cancel =>
    {
        await holderKeys.UnlockEmployeeAsync(nip, Caller, cancel);
        return "DoneUnlocked";
    }, OnGetAsync, $"/pegawai?q={Uri.EscapeDataString(nip ?? "")}");

    /// <summary>Whether the person's current certificate can still be revoked: one already revoked or run out cannot (asking would end in a conflict).</summary>
    public static bool Revocable(EmployeeView e) => e?.Status is NationalStatus.Issue or NationalStatus.Renew or NationalStatus.Suspend;

    /// <summary>Whether an agency head can start an application for this person now, and of which kind.</summary>
    public static string? ApplicationKind(EmployeeView e) => e?.Status switch
    {
        NationalStatus.NoCertificate or NationalStatus.Expired or NationalStatus.Revoke => "new",
        NationalStatus.Issue => "renewal",
        _ => null,
    };
}
