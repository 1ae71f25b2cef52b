using Microsoft.AspNetCore.Mvc;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Recovery;

/// <summary>
/// Key-recovery requests for RA officers (issue 23.5): each open request with who has approved it; an officer approves by
/// opening their share with their own passphrase, or refuses (closes) it. The same core calls as the API's.
/// </summary>
[PortalAccess(Role.RaOfficer | Role.Admin)]
public sealed class IndexModel(KeyRecoveryRequests recoveries) : PortalPage
{
    [BindProperty]
    public string? Passphrase { get; set; }

    public IReadOnlyList<KeyRecoveryRequestView> Open { get; private set; } = [];

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return await LoadAsync();
    }

    public Task<IActionResult> OnPostApproveAsync(long id) => ActAsync(async cancel =>
    {
        KeyRecoveryRequestView view = await recoveries.ApproveAsync(id, Passphrase, Caller, Origin, cancel);
        return view.State == "approved" ? "DoneRecoveryApproved" : "DoneRecoveryShareOpened";
    }, LoadAsync, "/pemulihan-kunci");

    public Task<IActionResult> OnPostCloseAsync(long id) => ActAsync(async cancel =>
    {
        await recoveries.CloseAsync(id, Caller, Origin, cancel);
        return "DoneRecoveryClosed";
    }, LoadAsync, "/pemulihan-kunci");

    protected override void ForgetSecrets() => Passphrase = null;

    private async Task<IActionResult> LoadAsync()
    {
        try
        {
            Open = [.. (await recoveries.ListAsync(Caller, HttpContext.RequestAborted)).Where(r => r.State is "pending" or "approved")];
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        return Page();
    }
}
