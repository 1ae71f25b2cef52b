using Microsoft.AspNetCore.Mvc;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Admin;

/// <summary>The regency's agencies with their coverage (Pasal 10); an administrator adds one here or by import.</summary>
[PortalAccess(Role.Admin | Role.PolicyAdmin | Role.Auditor)]
public sealed class AgenciesModel(AgencyRegistry registry, EmployeeDirectory employees) : PortalPage
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public IReadOnlyList<AgencyView> Agencies { get; private set; } = [];

    public string? Done { get; private set; }

    public bool MayChange => Caller.Has(Role.Admin);

    public Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return ShowAsync();
    }

    public Task<IActionResult> OnPostAsync() => ActAsync(async cancel =>
    {
        await registry.CreateAsync(Code, Name, Caller, Origin, cancel);
        return "DoneAgencyCreated";
    }, ShowAsync, "/admin/instansi");

    private async Task<IActionResult> ShowAsync()
    {
        Agencies = await employees.AgenciesAsync(Caller, cancellationToken: HttpContext.RequestAborted);
        return Page();
    }
}
