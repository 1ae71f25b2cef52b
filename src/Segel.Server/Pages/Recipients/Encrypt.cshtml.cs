using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Recipients;
using Segel.Core.Signing;
using Segel.Server.Pages.Holder;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Recipients;

/// <summary>
/// Encrypt a document to colleagues (issue 23.3): find them in the certificate directory, tick them, choose the file, download
/// the .p7m — which they open on <c>/dekripsi</c>, in a mail client, or with openssl. No script is needed: the search is a
/// GET that carries the recipients already chosen.
/// </summary>
[RequestSizeLimit(SignModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = SignModel.MaxRequestBytes)]
[PortalAccess]
public sealed class EncryptModel(RecipientDirectory directory, DocumentEnvelopes envelopes, SegelOptions options) : PortalPage
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    /// <summary>The serials of the recipients chosen so far.</summary>
    [BindProperty(SupportsGet = true, Name = "r")]
    public List<string> Chosen { get; set; } = [];

    [BindProperty]
    public IFormFile? Document { get; set; }

    public IReadOnlyList<DirectoryCertificate> Recipients { get; private set; } = [];

    /// <summary>Certificates the search found that are not chosen yet.</summary>
    public IReadOnlyList<DirectoryCertificate> Found { get; private set; } = [];

    public bool Searched { get; private set; }

    public int MaxMegabytes => options.Limits.PdfMegabytes;

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Document is not { Length: > 0 } document)
        {
            ModelState.AddModelError(nameof(Document), Text["ChooseFile"]);
            await LoadAsync();
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }
        if (document.Length > (long)MaxMegabytes * 1024 * 1024)
        {
            ModelState.AddModelError(nameof(Document), string.Format(Language, Text["FileTooLarge"], MaxMegabytes));
            await LoadAsync();
            return Page().WithStatus(StatusCodes.Status413PayloadTooLarge);
        }
        var output = new MemoryStream(checked((int)(document.Length + 64 * 1024)));
        try
        {
            await using Stream content = document.OpenReadStream();
            await envelopes.EncryptAsync(Caller, Chosen, content, output, Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            Show(e, e.Field is "recipient" ? nameof(Chosen) : nameof(Document));
            await LoadAsync();
            return Page().WithStatus(StatusOf(e));
        }
        Response.Headers.CacheControl = "no-store";
        output.Position = 0; // sent from the buffer itself: a copy would double the memory
        return File(output, Api.EncryptionEndpoints.EncryptedType, Path.GetFileName(document.FileName) + ".p7m");
    }

    /// <summary>The same document sent by e-mail instead, to each recipient as S/MIME encrypted to them; back to the page with a notice.</summary>
    public async Task<IActionResult> OnPostSendAsync()
    {
        if (Document is not { Length: > 0 } document)
        {
            ModelState.AddModelError(nameof(Document), Text["ChooseFile"]);
            await LoadAsync();
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }
        try
        {
            if (document.Length > DocumentEnvelopes.MaxMailMegabytes * 1024 * 1024)
            {
                throw SegelException.Invalid("file", Segel.Texts.Localized.Of("Error.MailDocumentTooLarge", DocumentEnvelopes.MaxMailMegabytes));
            }
            using var content = new MemoryStream((int)document.Length);
            await document.CopyToAsync(content, HttpContext.RequestAborted);
            await envelopes.SendAsync(Caller, Chosen, document.FileName, content.GetBuffer().AsMemory(0, (int)content.Length), Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            Show(e, e.Field is "recipient" ? nameof(Chosen) : nameof(Document));
            await LoadAsync();
            return Page().WithStatus(StatusOf(e));
        }
        TempData[DoneKey] = "DoneEncryptedSent";
        return Redirect("/enkripsi?" + string.Join('&', Chosen.Select(s => "r=" + Uri.EscapeDataString(s))));
    }

    /// <summary>The chosen recipients as the directory lists them (one no longer valid drops out), and the search's others.</summary>
    private async Task LoadAsync()
    {
        var chosen = new List<DirectoryCertificate>();
        foreach (string serial in Chosen.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.OrdinalIgnoreCase).Take(DocumentEnvelopes.MaxRecipients))
        {
            try
            {
                chosen.Add((await directory.CertificateAsync(Caller, serial, HttpContext.RequestAborted)).Certificate);
            }
            catch (SegelException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Invalid)
            {
                // revoked or expired since it was chosen, or a serial typed into the address: not offered
            }
        }
        Recipients = chosen;
        Chosen = [.. chosen.Select(c => c.Serial)];
        if (string.IsNullOrWhiteSpace(Search))
        {
            return;
        }
        Searched = true;
        try
        {
            IReadOnlyList<DirectoryPerson> people = await directory.SearchAsync(Caller, Search, HttpContext.RequestAborted);
            Found = [.. people.SelectMany(p => p.Certificates).Where(c => !Chosen.Contains(c.Serial, StringComparer.OrdinalIgnoreCase))];
        }
        catch (SegelException e)
        {
            Show(e, nameof(Search));
        }
    }
}
