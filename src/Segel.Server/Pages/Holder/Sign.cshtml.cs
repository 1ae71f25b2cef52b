using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Holder;

/// <summary>
/// The holder signs a PDF in the browser: upload, place the visible signature by dragging it on the page preview
/// (pdf.js draws the page locally; without script the page number and position are typed), the passphrase,
/// and the signed PDF comes back as a download. The same core call as the API: B-LT, QR code, signature record.
/// </summary>
[RequestSizeLimit(SignModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = SignModel.MaxRequestBytes)]
[PortalAccess(ForHolders = true)]
public sealed class SignModel(SegelOptions options, RemoteSigning signing) : PortalPage
{
    /// <summary>The configured PDF limit is checked by the core; this only bounds what the server reads at all.</summary>
    public const long MaxRequestBytes = 101L * 1024 * 1024;

    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public bool Visible { get; set; } = true;

    [BindProperty]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public double X { get; set; } = 360;

    [BindProperty]
    public double Y { get; set; } = 72;

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Location { get; set; }

    [BindProperty]
    public IFormFile? Document { get; set; }

    public int MaxMegabytes => options.Limits.PdfMegabytes;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Document is not { Length: > 0 })
        {
            ModelState.AddModelError(nameof(Document), Text["ChoosePdf"]);
            return Refused(StatusCodes.Status400BadRequest);
        }
        if (Document.Length > (long)MaxMegabytes * 1024 * 1024)
        {
            ModelState.AddModelError(nameof(Document), string.Format(Language, Text["PdfTooLarge"], MaxMegabytes));
            return Refused(StatusCodes.Status413PayloadTooLarge);
        }
        byte[] content = await PortalResults.ReadAsync(Document);
        string name = Path.GetFileNameWithoutExtension(Path.GetFileName(Document.FileName));
        var request = new PdfSigningRequest
        {
            Documents = [new PdfToSign(content, Document.FileName)],
            Passphrase = Passphrase,
            Placement = Visible ? new SignaturePlacement { Page = PageNumber, X = X, Y = Y } : null,
            Reason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(),
            Location = string.IsNullOrWhiteSpace(Location) ? null : Location.Trim(),
        };
        SignedDocument signed;
        try
        {
            signed = (await signing.SignAsync(request, Caller, Origin, HttpContext.RequestAborted))[0];
        }
        catch (SegelException e)
        {
            Show(e, e.Field is "file" or "documents" ? nameof(Document) : e.Code is not null ? nameof(Passphrase) : null);
            return Refused(StatusOf(e));
        }
        Response.Headers["X-Segel-Verification-Url"] = signed.VerificationUrl;
        Response.Headers.CacheControl = "no-store";
        return File(signed.Content, "application/pdf", $"{(name.Length == 0 ? "dokumen" : name)}-ditandatangani.pdf");
    }

    private PageResult Refused(int status)
    {
        ForgetSecrets();
        return Page().WithStatus(status);
    }

    protected override void ForgetSecrets() => Passphrase = null;
}
