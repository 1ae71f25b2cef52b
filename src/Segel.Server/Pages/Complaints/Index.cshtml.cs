using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Supervision;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Complaints;

/// <summary>The complaints received, newest first, for the RA to answer and for auditors and policy administrators to supervise.</summary>
[PortalAccess(Role.RaOfficer | Role.Admin | Role.PolicyAdmin | Role.Auditor)]
public sealed class IndexModel(Core.Supervision.Complaints complaints) : PortalPage
{
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? State { get; set; }

    public IReadOnlyList<ComplaintView> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        try
        {
            Items = await complaints.ListAsync(State, 200, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e, nameof(State));
        }
        return Page();
    }
}
