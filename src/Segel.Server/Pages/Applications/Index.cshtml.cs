using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Applications;

/// <summary>Applications: the RA's review queue (oldest submission first) and an agency head's own list, with filters.</summary>
[PortalAccess(Role.AgencyHead | Role.RaOfficer | Role.Admin | Role.Auditor)]
public sealed class IndexModel(EnrollmentQueries enrollmentQueries) : PortalPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "instansi")]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "hal")]
    public int PageNumber { get; set; } = 1;

    public Page<EnrollmentSummary> Found { get; private set; } = new([], 0, 0, PageSize);

    public static IReadOnlyList<string> States { get; } = [.. Enum.GetValues<EnrollmentState>().Select(s => s.ToName())];

    public static IReadOnlyList<string> Kinds { get; } = [.. Enum.GetValues<EnrollmentKind>().Select(k => k.ToName())];

    public async Task<IActionResult> OnGetAsync()
    {
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        try
        {
            Found = await enrollmentQueries.ListAsync(new EnrollmentFilter(State, Kind, Agency, Search, (PageNumber - 1) * PageSize, PageSize), Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        return Page();
    }

    public string Link(int page) =>
        $"?state={State}&kind={Kind}&instansi={Uri.EscapeDataString(Agency ?? "")}&q={Uri.EscapeDataString(Search ?? "")}&hal={page}";
}
