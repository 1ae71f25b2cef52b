using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Admin;

/// <summary>
/// Employees from the personnel office's CSV: check first (nothing written), then import. Any rejected row
/// leaves the whole file unapplied, and every row's outcome is listed with its reasons.
/// </summary>
[RequestSizeLimit(EmployeeImport.MaxFileBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = EmployeeImport.MaxFileBytes + 64 * 1024)]
[PortalAccess(Role.Admin)]
public sealed class ImportModel(EmployeeImport employeeImport) : PortalPage
{
    [BindProperty]
    public IFormFile? Csv { get; set; }

    [BindProperty]
    public bool DryRun { get; set; } = true;

    /// <summary>Make an account for every employee who has none and e-mail them the link that opens it (issue 20.1).</summary>
    [BindProperty]
    public bool OpenAccounts { get; set; } = true;

    /// <summary>The file is the whole personnel list: disable the accounts of employees not in it.</summary>
    [BindProperty]
    public bool Complete { get; set; }

    /// <summary>Made up by the page's script, so it can ask how far the import is while it waits.</summary>
    [BindProperty]
    public string? ProgressId { get; set; }

    public ImportReport? Report { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>How far this person's import <paramref name="id"/> is: rows done and in all, per phase; 204 when this node does not know it.</summary>
    public IActionResult OnGetProgress(string? id) =>
        Board.Read(Caller.Name, id) is { } p ? new JsonResult(new { phase = p.Phase.ToString().ToLowerInvariant(), done = p.Done, total = p.Total }) : new NoContentResult();

    private ProgressBoard Board => HttpContext.RequestServices.GetRequiredService<ProgressBoard>();

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
            using ProgressBoard.Reporter? progress = Board.Track(Caller.Name, ProgressId);
            Report = await employeeImport.ImportCsvAsync(csv, Caller, Origin, new EmployeeImportOptions(DryRun, OpenAccounts, Complete), progress, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e, nameof(Csv));
        }
        return Page();
    }
}
