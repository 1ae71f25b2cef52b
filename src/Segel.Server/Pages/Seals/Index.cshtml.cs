using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Seals;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Seals;

/// <summary>
/// Institutional e-seals (issue 23.2): an agency head applies for their agency's seals and sees them; RA officers decide —
/// approving with their own passphrase, which signs the decision and issues the certificate, or rejecting with a reason.
/// The same core calls as the API's.
/// </summary>
[PortalAccess(Role.AgencyHead | Role.RaOfficer | Role.Admin | Role.Auditor)]
public sealed class IndexModel(InstitutionalSeals seals) : PortalPage
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Passphrase { get; set; }

    public IReadOnlyList<SealView> Seals { get; private set; } = [];

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return await LoadAsync();
    }

    public Task<IActionResult> OnPostApplyAsync() => ActAsync(async cancel =>
    {
        await seals.ApplyAsync(new NewSeal(Name, Purpose), Caller, Origin, cancel);
        return "DoneSealApplied";
    }, LoadAsync, "/segel-instansi");

    public Task<IActionResult> OnPostApproveAsync(long id) => ActAsync(async cancel =>
    {
        await seals.ApproveAsync(id, Passphrase, Caller, Origin, cancel);
        return "DoneSealApproved";
    }, LoadAsync, "/segel-instansi");

    public Task<IActionResult> OnPostRejectAsync(long id) => ActAsync(async cancel =>
    {
        await seals.RejectAsync(id, Reason, Passphrase, Caller, Origin, cancel);
        return "DoneSealRejected";
    }, LoadAsync, "/segel-instansi");

    protected override void ForgetSecrets() => Passphrase = null;

    private async Task<IActionResult> LoadAsync()
    {
        try
        {
            Seals = await seals.ListAsync(Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        return Page();
    }
}
