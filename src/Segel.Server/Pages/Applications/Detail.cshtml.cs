using Microsoft.AspNetCore.Mvc;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Server.Portal;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Pages.Applications;

/// <summary>
/// One application. The agency head completes it (documents, a new code for the holder) and submits or withdraws
/// it; an RA officer reads the documents in the page against the Pasal 14 checklist and approves — signing the
/// decision with their own passphrase — or returns it with a reason. The core decides who may do which.
/// </summary>
[RequestSizeLimit(DocumentIntake.MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentIntake.MaxBytes + 64 * 1024)]
[PortalAccess(Role.AgencyHead | Role.RaOfficer | Role.Admin | Role.Auditor)]
public sealed class DetailModel(EnrollmentQueries enrollmentQueries, Enrollments enrollments, EnrollmentReview review) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? DocumentKind { get; set; }

    /// <summary>The documents the RA officer names as the reason for sending the application back.</summary>
    [BindProperty]
    public List<string> ReturnedDocuments { get; set; } = [];

    public EnrollmentDetail? Application { get; private set; }

    public string? Done { get; private set; }

    /// <summary>After an RA officer's decision: the oldest application still waiting, to go on with.</summary>
    public EnrollmentSummary? Next { get; private set; }

    public IReadOnlyList<string> Refused { get; private set; } = [];

    public Task<IActionResult> OnGetAsync()
    {
        if (TempData[NewModel.RefusedKey] is string refused)
        {
            Refused = refused.Split('\n');
        }
        if (TempData[DoneKey] is string done)
        {
            Done = done;
        }
        return ShowAsync();
    }

    /// <summary>The queue's oldest application other than this one, once this one is decided.</summary>
    private async Task FindNextAsync()
    {
        if (Done is "DoneApproved" or "DoneRejected" && Caller.Has(Role.RaOfficer))
        {
            Page<EnrollmentSummary> waiting = await enrollmentQueries.ListAsync(new EnrollmentFilter(State: "submitted", Limit: 2), Caller, HttpContext.RequestAborted);
            Next = waiting.Items.FirstOrDefault(e => e.Id != Id);
        }
    }

    /// <summary>An attached document, shown inside the page (an image, or a PDF drawn by pdf.js).</summary>
    public async Task<IActionResult> OnGetDocumentAsync(string kind)
    {
        DocumentContent document;
        try
        {
            document = await enrollmentQueries.ReadDocumentAsync(Id, LifecycleTerms.ParseDocument(kind), Caller, Origin, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return StatusCode(StatusOf(e));
        }
        PortalResults.SandboxDocument(Response);
        return File(document.Content, document.ContentType);
    }

    public Task<IActionResult> OnPostAttachAsync() => ActAsync(async cancel =>
    {
        IFormFile file = Request.Form.Files.GetFile("file") ?? throw SegelException.Invalid("file", Localized.Of("Error.ChooseFileAttach"));
        await enrollments.AttachAsync(Id, LifecycleTerms.ParseDocument(DocumentKind), await PortalResults.ReadAsync(file), file.FileName, Caller, cancel);
        return "DoneAttached";
    });

    public Task<IActionResult> OnPostResendAsync() => ActAsync(async cancel =>
    {
        await enrollments.ResendCodeAsync(Id, Caller, cancel);
        return "DoneResent";
    });

    public Task<IActionResult> OnPostSubmitAsync() => ActAsync(async cancel =>
    {
        await enrollments.SubmitAsync(Id, Caller, cancel);
        return "DoneSubmitted";
    });

    public Task<IActionResult> OnPostCancelAsync() => ActAsync(async cancel =>
    {
        await enrollments.CancelAsync(Id, Caller, cancel);
        return "DoneCancelled";
    });

    public Task<IActionResult> OnPostApproveAsync() => ActAsync(async cancel =>
    {
        await review.ApproveAsync(Id, Passphrase, Caller, cancel);
        return "DoneApproved";
    });

    public Task<IActionResult> OnPostRejectAsync() => ActAsync(async cancel =>
    {
        await review.RejectAsync(Id, Reason, ReturnedDocuments, Passphrase, Caller, cancel);
        return "DoneRejected";
    });

    private Task<IActionResult> ActAsync(Func<CancellationToken, Task<string>> action) => ActAsync(action, ShowAsync, $"/permohonan/{Id}");

    protected override void ForgetSecrets() => Passphrase = null;

    private async Task<IActionResult> ShowAsync()
    {
        try
        {
            Application = await enrollmentQueries.GetAsync(Id, Caller, Origin, HttpContext.RequestAborted);
            await FindNextAsync();
        }
        catch (SegelException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Forbidden)
        {
            return Failed(e);
        }
        return Page();
    }

    /// <summary>The Pasal 14 checklist: each required document, then the holder's two steps.</summary>
    public IReadOnlyList<(string Item, bool Met)> Checklist()
    {
        if (Application is not { } a)
        {
            return [];
        }
        EnrollmentKind kind = LifecycleTerms.ParseKind(a.Summary.Kind);
        var items = DocumentIntake.RequiredFor(kind)
            .Select(k => (Item: "Doc_" + k.ToName(), Met: a.Documents.Any(d => d.Kind == k.ToName()) && !a.Returned.Contains(k.ToName()))).ToList();
        items.Add(("CheckHolderConfirmed", a.HolderConfirmed));
        items.Add(("CheckAgreementAccepted", a.AgreementAcceptedAt is not null));
        return items;
    }

    /// <summary>Whether the RA sent this checklist item back to be replaced.</summary>
    public bool IsReturned(string item) => Application is { } a && a.Returned.Any(k => "Doc_" + k == item);

    public bool Editable => Application?.Summary.State is "draft" or "rejected" && Caller.Has(Role.AgencyHead);

    public bool Reviewable => Application?.Summary.State == "submitted" && Caller.Has(Role.RaOfficer);
}
