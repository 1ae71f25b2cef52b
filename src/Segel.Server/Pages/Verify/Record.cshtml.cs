using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Configuration;
using Segel.Core.Signing;
using Segel.Core.Supervision;

namespace Segel.Server.Pages.Verify;

/// <summary>
/// <c>/verify/{id}</c>: a signature on record — what the QR code opens — with where it stands in the transparency
/// log, and the check that an uploaded file is the one signed (see <see cref="VerifyPageModel"/>).
/// </summary>
public sealed class RecordModel(SegelOptions options, SignatureRecords signatures, DocumentVerification verification, TransparencyLog log)
    : VerifyPageModel(options)
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    public PublicSignature? Signature { get; private set; }

    public InclusionProof? Inclusion { get; private set; }

    public override string Action => Signature is null ? "/verify" : $"/verify/{Signature.Id}";

    public async Task<IActionResult> OnGetAsync()
    {
        Prepare();
        return await FindAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Prepare();
        return await FindAsync() ? await CheckAsync(verification, Signature) : NotFound();
    }

    /// <summary>The record, and its place in the log; an unknown code is the page's own 404 with the upload form.</summary>
    private async Task<bool> FindAsync()
    {
        Signature = await signatures.FindPublicAsync(Id, HttpContext.RequestAborted);
        if (Signature is null)
        {
            return false;
        }
        Inclusion = await log.InclusionOfAsync("signature:" + Signature.Id, HttpContext.RequestAborted);
        return true;
    }

    private new PageResult NotFound()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
