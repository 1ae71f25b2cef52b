using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Organization;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Applications;

/// <summary>
/// An agency head applies for one of their staff (Pasal 14): the kind, the agency's contact address and the
/// documents, dropped or chosen per slot. The application is created and each document attached through the core;
/// a refused document does not lose the others, and the application page shows what is still missing.
/// </summary>
[RequestSizeLimit(NewModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = NewModel.MaxRequestBytes)]
[PortalAccess(Role.AgencyHead)]
public sealed class NewModel(EmployeeDirectory employees, Enrollments enrollments, EnrollmentQueries enrollmentQueries) : PortalPage
{
    public const long MaxRequestBytes = 7L * DocumentIntake.MaxBytes;
    public const string RefusedKey = "refused-documents";

    [BindProperty(SupportsGet = true)]
    public string? Nip { get; set; }

    [BindProperty(SupportsGet = true, Name = "jenis")]
    public string? Kind { get; set; }

    [BindProperty]
    public string? ContactEmail { get; set; }

    /// <summary>Makes a double-clicked or re-sent form one application, not two.</summary>
    [BindProperty]
    public string? RequestKey { get; set; }

    public EmployeeView? Employee { get; private set; }

    public static IReadOnlyList<DocumentKind> Slots { get; } = [DocumentKind.RequestLetter, DocumentKind.RecommendationLetter, DocumentKind.RegistrationForm,
        DocumentKind.IdCard, DocumentKind.AppointmentDecree, DocumentKind.SuperiorStatement];

    public async Task<IActionResult> OnGetAsync()
    {
        RequestKey = Guid.NewGuid().ToString("N");
        ContactEmail ??= await enrollmentQueries.SuggestedContactAsync(Caller, HttpContext.RequestAborted);
        return await LoadEmployeeAsync() ? Page() : NotFoundPage();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadEmployeeAsync();
        EnrollmentSnapshot enrollment;
        try
        {
            enrollment = await enrollments.CreateAsync(new NewEnrollment(Nip, ContactEmail, Kind), Caller, RequestKey, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        var refused = new List<string>();
        foreach (DocumentKind kind in Slots)
        {
            if (Request.Form.Files.GetFile(kind.ToName()) is not { Length: > 0 } file)
            {
                continue;
            }
            try
            {
                await enrollments.AttachAsync(enrollment.Id, kind, await PortalResults.ReadAsync(file), file.FileName, Caller, HttpContext.RequestAborted);
            }
            catch (SegelException e)
            {
                refused.Add(e.MessageIn(Language));
            }
        }
        if (refused.Count > 0)
        {
            TempData[RefusedKey] = string.Join("\n", refused);
        }
        return GoTo($"/permohonan/{enrollment.Id}");
    }

    private async Task<bool> LoadEmployeeAsync()
    {
        if (string.IsNullOrWhiteSpace(Nip))
        {
            return false;
        }
        try
        {
            Employee = await employees.GetAsync(Nip, false, Caller, Origin, HttpContext.RequestAborted);
            return true;
        }
        catch (SegelException e)
        {
            Show(e, nameof(Nip));
            return false;
        }
    }

    private PageResult NotFoundPage()
    {
        if (ModelState.ErrorCount == 0)
        {
            ModelState.AddModelError(nameof(Nip), Text["ChooseEmployee"]);
        }
        return Page().WithStatus(StatusCodes.Status404NotFound);
    }
}
