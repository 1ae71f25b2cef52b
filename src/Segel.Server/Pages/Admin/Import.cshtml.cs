using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Organization;
using Segel.Server.Portal;

namespace Segel.Server.Pages.Admin;

/// <summary>
/// Employees from the personnel office's CSV: check first (nothing written), then import. Any rejected row
/// leaves the whole file unapplied, and every row's outcome is listed with its reasons.
/// </summary>
[RequestSizeLimit(EmployeeImport.MaxFileBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = EmployeeImport.MaxFileBytes + 64 * 1024)]
public sealed class ImportModel : PortalPage
{
    protected override Role Allowed => Role.Admin;

    [BindProperty]
    public IFormFile? Csv { get; set; }

    [BindProperty]
    public bool DryRun { get; set; } = true;

    public ImportReport? Report { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Csv is not { Length: > 0 })
        {
            ModelState.AddModelError(nameof(Csv), Text["ChooseCsv"]);
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }
        try
        {
            await using Stream csv = Csv.OpenReadStream();
            Report = await Ca.EmployeeImport.ImportCsvAsync(csv, Caller, Origin, DryRun, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e, nameof(Csv));
        }
        return Page();
    }
}
