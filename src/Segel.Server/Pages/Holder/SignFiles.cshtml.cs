using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Holder;

/// <summary>
/// The holder signs files of any type — a workbook, a scan, a Word document — as one ASiC-E container: choose the files,
/// enter the passphrase, download the container. No script is needed. The same core call as `segel sign --user`.
/// </summary>
[RequestSizeLimit(SignModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = SignModel.MaxRequestBytes)]
[PortalAccess(ForHolders = true)]
public sealed class SignFilesModel(SegelOptions options, RemoteSigning signing) : PortalPage
{
    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    /// <summary>B-LTA: an archive time-stamp over the whole container, for a document kept for years; otherwise B-LT.</summary>
    [BindProperty]
    public bool Archive { get; set; }

    public int MaxMegabytes => options.Limits.PdfMegabytes;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        List<IFormFile> chosen = [.. Files.Where(f => f.Length > 0)];
        if (chosen.Count == 0)
        {
            ModelState.AddModelError(nameof(Files), Text["ChooseFiles"]);
            return Refused(StatusCodes.Status400BadRequest);
        }
        if (chosen.Sum(f => f.Length) > (long)MaxMegabytes * 1024 * 1024)
        {
            ModelState.AddModelError(nameof(Files), string.Format(Language, Text["FilesTooLarge"], MaxMegabytes));
            return Refused(StatusCodes.Status413PayloadTooLarge);
        }
        var files = new List<FileToSign>(chosen.Count);
        foreach (IFormFile file in chosen)
        {
            files.Add(new FileToSign(Path.GetFileName(file.FileName), await PortalResults.ReadAsync(file)));
        }
        SignedDocument signed;
        try
        {
            signed = await signing.SignContainerAsync(new ContainerSigningRequest
            {
                Files = files,
                Passphrase = Passphrase,
                Level = Archive ? Segel.Pdf.Signing.PadesLevel.BaselineLTA : Segel.Pdf.Signing.PadesLevel.BaselineLT,
            }, Caller, Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            Show(e, e.Field is "files" ? nameof(Files) : e.Code is not null ? nameof(Passphrase) : null);
            return Refused(StatusOf(e));
        }
        Response.Headers["X-Segel-Verification-Url"] = signed.VerificationUrl;
        Response.Headers.CacheControl = "no-store";
        string name = Path.GetFileNameWithoutExtension(files[0].Name);
        return File(signed.Content, Segel.Pdf.Containers.AsicE.MimeType, $"{(name.Length == 0 ? "dokumen" : name)}-ditandatangani.asice");
    }

    private PageResult Refused(int status)
    {
        ForgetSecrets();
        return Page().WithStatus(status);
    }

    protected override void ForgetSecrets() => Passphrase = null;
}
