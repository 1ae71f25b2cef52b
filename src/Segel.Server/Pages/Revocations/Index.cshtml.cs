using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Revocations;

/// <summary>Revocation requests: those waiting for an RA decision first, then the rest, filtered by state.</summary>
[PortalAccess(Role.AgencyHead | Role.RaOfficer | Role.Admin | Role.Auditor)]
public sealed class IndexModel(RevocationRequestQueries revocationQueries) : PortalPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "hal")]
    public int PageNumber { get; set; } = 1;

    public Page<RevocationRequestView> Found { get; private set; } = new([], 0, 0, PageSize);

    public static IReadOnlyList<string> States { get; } = [.. Enum.GetValues<RevocationRequestState>().Select(s => s.ToName())];

    public async Task<IActionResult> OnGetAsync()
    {
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        try
        {
            Found = await revocationQueries.ListAsync(State, (PageNumber - 1) * PageSize, PageSize, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        return Page();
    }
}
