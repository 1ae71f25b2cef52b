using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Errors;
using Segel.Core.Lifecycle;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Revocations;

/// <summary>One revocation request; an RA officer approves (the certificate is revoked at once) or rejects it, signing with their passphrase.</summary>
public sealed class DetailModel : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public RevocationRequestView? Revocation { get; private set; }

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Done = TempData["done"] as string;
        return await ShowAsync();
    }

    public Task<IActionResult> OnPostApproveAsync() => ActAsync(c => Ca.RevocationRequests.ApproveAsync(Id, Passphrase, Caller, c), "DoneRevoked");

    public Task<IActionResult> OnPostRejectAsync() => ActAsync(c => Ca.RevocationRequests.RejectAsync(Id, Reason, Passphrase, Caller, c), "DoneRejected");

    private async Task<IActionResult> ActAsync(Func<CancellationToken, Task> action, string done)
    {
        try
        {
            await action(HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            Show(e);
            Passphrase = null;
            IActionResult page = await ShowAsync();
            if (page is PageResult shown)
            {
                shown.StatusCode = StatusOf(e);
            }
            return page;
        }
        TempData["done"] = done;
        return Redirect($"/pencabutan/{Id}");
    }

    private async Task<IActionResult> ShowAsync()
    {
        try
        {
            Revocation = await Ca.RevocationRequestQueries.GetAsync(Id, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        return Page();
    }
}
