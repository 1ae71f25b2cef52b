using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Revocations;

/// <summary>
/// Asking for a revocation: an agency head for a transfer, retirement, death or dismissal, with the signed letter (Pasal 17),
/// decided by the RA; an RA officer as a sanction or on a reported compromise, effective at once and signed with their passphrase.
/// </summary>
[RequestSizeLimit(DocumentIntake.MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentIntake.MaxBytes + 64 * 1024)]
[PortalAccess(Role.AgencyHead | Role.RaOfficer)]
public sealed class NewModel(RevocationRequests revocations, RevocationRequestQueries revocationQueries) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public string? Serial { get; set; }

    /// <summary>The regulation's ground (<see cref="RevocationGround"/>), which fixes the RFC 5280 reason.</summary>
    [BindProperty]
    public string? Ground { get; set; }

    [BindProperty]
    public string? ContactEmail { get; set; }

    [BindProperty]
    public string? Statement { get; set; }

    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public string? RequestKey { get; set; }

    [BindProperty]
    public IFormFile? Letter { get; set; }

    public IReadOnlyList<RevocationGround> Grounds => Caller.Has(Role.RaOfficer) ? RevocationGrounds.Officer : RevocationGrounds.Agency;

    /// <summary>Whose certificate the serial names, shown before anything is sent; null until a serial is given.</summary>
    public RevocationTarget? Target { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        RequestKey = Guid.NewGuid().ToString("N");
        return await FindTargetAsync() ?? Page();
    }

    /// <summary>Looks the serial up; a serial that names nothing the caller may see is an error on the field, not an empty form.</summary>
    private async Task<IActionResult?> FindTargetAsync()
    {
        if (string.IsNullOrWhiteSpace(Serial))
        {
            return null;
        }
        try
        {
            Target = await revocationQueries.TargetAsync(Serial, Caller, HttpContext.RequestAborted);
            return null;
        }
        catch (SegelException e)
        {
            return Failed(e, "Serial");
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        byte[]? letter = null;
        string? letterName = null;
        if (Letter is { Length: > 0 } file)
        {
            letter = await PortalResults.ReadAsync(file);
            letterName = file.FileName;
        }
        RevocationRequestSnapshot created;
        try
        {
            created = await revocations.CreateAsync(new NewRevocationRequest(Serial, null, ContactEmail, letter, letterName, Statement, Passphrase, Ground),
                Caller, RequestKey, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            Passphrase = null;
            PageResult failed = Failed(e);
            try
            {
                Target = await revocationQueries.TargetAsync(Serial, Caller, HttpContext.RequestAborted);
            }
            catch (SegelException)
            {
                // The refusal above already says what is wrong with the serial.
            }
            return failed;
        }
        TempData[DoneKey] = "DoneRevocationRequested";
        return Redirect($"/pencabutan/{created.Id}");
    }
}
