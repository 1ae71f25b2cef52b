using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Admin;

/// <summary>One agency: correct its name and keep its work units (add, rename, remove an empty one).</summary>
[PortalAccess(Role.Admin | Role.PolicyAdmin | Role.Auditor)]
public sealed class AgencyModel(AgencyRegistry agencies) : PortalPage
{
    [FromRoute]
    public string Code { get; set; } = "";

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? WorkUnit { get; set; }

    public AgencyInfo? Agency { get; private set; }

    public IReadOnlyList<WorkUnitView> Units { get; private set; } = [];

    public string? Done { get; private set; }

    public bool MayChange => Caller.Has(Role.Admin);

    private string Back => $"/admin/instansi/{Uri.EscapeDataString(Code.ToUpperInvariant())}";

    public Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return ShowAsync();
    }

    public Task<IActionResult> OnPostRenameAsync() => ActAsync(async cancel =>
    {
        await agencies.RenameAsync(Code, Name, Caller, Origin, cancel);
        return "DoneAgencyRenamed";
    }, ShowAsync, Back);

    public Task<IActionResult> OnPostAddUnitAsync() => ActAsync(async cancel =>
    {
        await agencies.AddWorkUnitAsync(Code, WorkUnit, Caller, Origin, cancel);
        return "DoneWorkUnitAdded";
    }, ShowAsync, Back);

    // A refusal goes above the table, not beside the new-unit field the core's field name would point to.
    public Task<IActionResult> OnPostRenameUnitAsync(int unit, string? unitName) => ActAsync(async cancel =>
    {
        await agencies.RenameWorkUnitAsync(Code, unit, unitName, Caller, Origin, cancel);
        return "DoneWorkUnitRenamed";
    }, ShowAsync, Back, _ => "");

    public Task<IActionResult> OnPostRemoveUnitAsync(int unit) => ActAsync(async cancel =>
    {
        await agencies.RemoveWorkUnitAsync(Code, unit, Caller, Origin, cancel);
        return "DoneWorkUnitRemoved";
    }, ShowAsync, Back);

    private async Task<IActionResult> ShowAsync()
    {
        try
        {
            Agency = await agencies.GetAsync(Code, Caller, HttpContext.RequestAborted);
            Units = await agencies.WorkUnitsAsync(Code, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e) when (e.Kind is ErrorKind.NotFound)
        {
            return Failed(e);
        }
        Name ??= Agency.Name;
        return Page();
    }
}
