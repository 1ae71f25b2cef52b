using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Supervision;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Complaints;

/// <summary>One complaint: RA officers and administrators answer and close it, and forward one about an RA officer to the national CA.</summary>
[PortalAccess(Role.RaOfficer | Role.Admin | Role.PolicyAdmin | Role.Auditor)]
public sealed class DetailModel(Core.Supervision.Complaints complaints) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public string Number { get; set; } = "";

    [BindProperty]
    public string? Answer { get; set; }

    [BindProperty]
    public bool Close { get; set; }

    public ComplaintView? Complaint { get; private set; }

    public string? Done { get; private set; }

    public bool MayAnswer => Caller.Has(Role.RaOfficer | Role.Admin);

    public bool MayForward => Caller.Has(Role.RaOfficer | Role.Admin | Role.PolicyAdmin);

    public async Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        return await ShowAsync();
    }

    public Task<IActionResult> OnPostAnswerAsync() => ActAsync(async cancel =>
    {
        ComplaintView answered = await complaints.AnswerAsync(Number, Answer, Close, Caller, Origin, cancel);
        return answered.State == "closed" ? "DoneComplaintClosed" : "DoneComplaintAnswered";
    }, ShowAsync, $"/pengaduan/daftar/{Uri.EscapeDataString(Number)}");

    public Task<IActionResult> OnPostForwardAsync() => ActAsync(async cancel =>
    {
        await complaints.ForwardAsync(Number, Caller, Origin, cancel);
        return "DoneComplaintForwarded";
    }, ShowAsync, $"/pengaduan/daftar/{Uri.EscapeDataString(Number)}", _ => nameof(Answer));

    private async Task<IActionResult> ShowAsync()
    {
        try
        {
            Complaint = await complaints.GetAsync(Number, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e) when (e.Kind == ErrorKind.NotFound)
        {
            return NotFound();
        }
        return Page();
    }
}
