using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Revocations;

/// <summary>
/// One revocation request; an RA officer approves (the certificate is revoked at once) or rejects it, signing with their
/// passphrase. A proposal a personnel import opened is sent on here by the former agency's head, with the signed letter.
/// </summary>
[RequestSizeLimit(DocumentIntake.MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentIntake.MaxBytes + 64 * 1024)]
public sealed class DetailModel(RevocationRequestQueries revocationQueries, RevocationRequests revocations) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public IFormFile? Letter { get; set; }

    [BindProperty]
    public string? ContactEmail { get; set; }

    [BindProperty]
    public string? Statement { get; set; }

    public RevocationRequestView? Revocation { get; private set; }

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return await ShowAsync();
    }

    /// <summary>The agency's signed letter, shown in the page (an image, or a PDF drawn by pdf.js) or opened on its own.</summary>
    public async Task<IActionResult> OnGetLetterAsync()
    {
        DocumentContent letter;
        try
        {
            letter = await revocationQueries.ReadLetterAsync(Id, Caller, Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return StatusCode(StatusOf(e));
        }
        PortalResults.SandboxDocument(Response);
        return File(letter.Content, letter.ContentType);
    }

    /// <summary>Approves a pending request (the certificate is revoked) or records the review of one that took effect at once.</summary>
    public Task<IActionResult> OnPostApproveAsync() => ActAsync(async c =>
    {
        RevocationRequestSnapshot decided = await revocations.ApproveAsync(Id, Passphrase, Caller, c);
        return decided.State == RevocationRequestState.Reviewed ? "DoneReviewed" : "DoneRevoked";
    });

    public Task<IActionResult> OnPostRejectAsync() => ActAsync(async c =>
    {
        await revocations.RejectAsync(Id, Reason, Passphrase, Caller, c);
        return "DoneRejected";
    });

    /// <summary>The former agency's head sends a proposal on to the RA with the letter they signed (Pasal 17(2)).</summary>
    public Task<IActionResult> OnPostEndorseAsync() => ActAsync(async c =>
    {
        byte[]? letter = Letter is { Length: > 0 } file ? await PortalResults.ReadAsync(file) : null;
        await revocations.EndorseAsync(Id, new RevocationEndorsement(letter, Letter?.FileName, ContactEmail, Statement), Caller, c);
        return "DoneProposalSent";
    });

    private Task<IActionResult> ActAsync(Func<CancellationToken, Task<string>> action) => ActAsync(action, ShowAsync, $"/pencabutan/{Id}");

    protected override void ForgetSecrets() => Passphrase = null;

    private async Task<IActionResult> ShowAsync()
    {
        try
        {
            Revocation = await revocationQueries.GetAsync(Id, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        return Page();
    }
}
