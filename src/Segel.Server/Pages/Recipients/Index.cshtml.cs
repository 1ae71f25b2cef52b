using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Recipients;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Recipients;

/// <summary>
/// The certificate directory (issue 23.4): any signed-in person finds a colleague by name, address or serial and downloads
/// the certificate to encrypt to — what mail clients find in the LDAP directory, for those without one set up.
/// </summary>
[PortalAccess]
public sealed class IndexModel(RecipientDirectory directory) : PortalPage
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    public IReadOnlyList<DirectoryPerson>? People { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (string.IsNullOrWhiteSpace(Search))
        {
            return Page();
        }
        try
        {
            People = await directory.SearchAsync(Caller, Search, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e, nameof(Search));
        }
        return Page();
    }

    /// <summary>The certificate as a .cer file (DER), which mail clients and Windows open.</summary>
    public async Task<IActionResult> OnGetCertificateAsync(string? serial)
    {
        try
        {
            (DirectoryCertificate certificate, byte[] der) = await directory.CertificateAsync(Caller, serial ?? "", HttpContext.RequestAborted);
            return File(der, "application/pkix-cert", $"{certificate.Serial}.cer");
        }
        catch (SegelException e)
        {
            return Failed(e, nameof(Search));
        }
    }
}
