using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Server.Pages.Holder;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Recipients;

/// <summary>A holder opens a document encrypted to them (issue 23.3) with the key Segel keeps and their passphrase.</summary>
[RequestSizeLimit(SignModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = SignModel.MaxRequestBytes)]
[PortalAccess(ForHolders = true)]
public sealed class DecryptModel(DocumentEnvelopes envelopes, SegelOptions options) : PortalPage
{
    [BindProperty]
    public IFormFile? Document { get; set; }

    [BindProperty]
    public string? Passphrase { get; set; }

    public int MaxMegabytes => options.Limits.PdfMegabytes;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Document is not { Length: > 0 } document)
        {
            ModelState.AddModelError(nameof(Document), Text["ChooseFile"]);
            return Refused(StatusCodes.Status400BadRequest);
        }
        if (document.Length > (long)MaxMegabytes * 1024 * 1024)
        {
            ModelState.AddModelError(nameof(Document), string.Format(Language, Text["FileTooLarge"], MaxMegabytes));
            return Refused(StatusCodes.Status413PayloadTooLarge);
        }
        // The opened document is held in memory only, never written to disk here.
        var output = new MemoryStream(checked((int)document.Length));
        try
        {
            await using Stream envelope = document.OpenReadStream();
            await envelopes.DecryptAsync(Caller, Passphrase, envelope, output, Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            Show(e, e.Field is "passphrase" || e.Code is not null || e.Kind is ErrorKind.Refused or ErrorKind.Forbidden ? nameof(Passphrase) : nameof(Document));
            return Refused(StatusOf(e));
        }
        Response.Headers.CacheControl = "no-store";
        // A message Segel sent by e-mail (its smime.p7m, saved from the mail program) opens to the document it carried.
        if (DocumentEnvelopes.SentAttachment(output.GetBuffer().AsSpan(0, (int)output.Length)) is { } attached)
        {
            return File(attached.Content, "application/octet-stream", attached.Name);
        }
        output.Position = 0; // sent from the buffer itself: a copy would double the memory
        return File(output, "application/octet-stream", Api.EncryptionEndpoints.PlainName(document.FileName));
    }

    private PageResult Refused(int status)
    {
        ForgetSecrets();
        return Page().WithStatus(status);
    }

    protected override void ForgetSecrets() => Passphrase = null;
}
