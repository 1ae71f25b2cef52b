using Microsoft.AspNetCore.Mvc;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Supervision;
using Segel.Server.Portal;
using Segel.Server.Security;

namespace Segel.Server.Pages.Audit;

/// <summary>The audit record (Pasal 21), newest first, filtered by action, actor or subject; and the integrity check of the whole chain.</summary>
[PortalAccess(Role.Auditor | Role.Admin)]
public sealed class IndexModel(AuditQueries audit) : PortalPage
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true, Name = "tindakan")]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "pelaku")]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "subjek")]
    public string? Subject { get; set; }

    [BindProperty(SupportsGet = true, Name = "hal")]
    public int PageNumber { get; set; } = 1;

    public Page<AuditEntryView> Entries { get; private set; } = new([], 0, 0, PageSize);

    public AuditVerification? Verification { get; private set; }

    public Task<IActionResult> OnGetAsync() => ListAsync();

    /// <summary>Walks the whole chain; on a million entries this takes a while, and the page says so while it runs.</summary>
    public async Task<IActionResult> OnPostVerifyAsync()
    {
        Verification = await audit.VerifyAsync(Caller, HttpContext.RequestAborted);
        return await ListAsync();
    }

    private async Task<IActionResult> ListAsync()
    {
        PageNumber = Math.Clamp(PageNumber, 1, 1_000_000);
        try
        {
            Entries = await audit.ListAsync(Action, Actor, Subject, null, (PageNumber - 1) * PageSize, PageSize, Caller, HttpContext.RequestAborted);
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        return Page();
    }

    public string Link(int page) =>
        $"?tindakan={Uri.EscapeDataString(Action ?? "")}&pelaku={Uri.EscapeDataString(Actor ?? "")}&subjek={Uri.EscapeDataString(Subject ?? "")}&hal={page}";
}
