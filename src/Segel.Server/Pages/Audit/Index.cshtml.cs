using System.Globalization;
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

    /// <summary>Words as the reader sees them: an action's name, an actor, a subject, a detail.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Words { get; set; }

    [BindProperty(SupportsGet = true, Name = "dari")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "sampai")]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "hal")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The most entries one CSV download holds; a wider export narrows the dates.</summary>
    public const int CsvLimit = 10_000;

    public int Pages => Math.Max(1, (Entries.Total + PageSize - 1) / PageSize);

    public Page<AuditEntryView> Entries { get; private set; } = new([], 0, 0, PageSize);

    public AuditVerification? Verification { get; private set; }

    public Task<IActionResult> OnGetAsync() => ListAsync();

    /// <summary>Walks the whole chain; on a million entries this takes a while, and the page says so while it runs.</summary>
    public async Task<IActionResult> OnPostVerifyAsync()
    {
        Verification = await audit.VerifyAsync(Caller, HttpContext.RequestAborted);
        return await ListAsync();
    }

    /// <summary>The entries this page's filters find, newest first, as CSV with each action named in the reader's language.</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        var rows = new List<AuditEntryView>();
        try
        {
            // Page by sequence, not offset: entries recorded meanwhile must not shift the pages under the export.
            long? before = null;
            while (rows.Count < CsvLimit)
            {
                Page<AuditEntryView> next = await audit.ListAsync(Query(0, Math.Min(Paging.MaxLimit, CsvLimit - rows.Count)) with { BeforeSequence = before },
                    Caller, HttpContext.RequestAborted);
                rows.AddRange(next.Items);
                if (next.Items.Count < next.Limit)
                {
                    break;
                }
                before = next.Items[^1].Sequence;
            }
        }
        catch (SegelException e)
        {
            return Failed(e);
        }
        byte[] csv = CsvTable.Write(["sequence", "time", "actor", "origin", "action", "action_name", "subject", "details"],
            rows.Select(e => new[]
            {
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToOffset(PortalFormat.Wita).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                e.Actor, e.Origin ?? "", e.Action, AuditWords.Action(e.Action, Language), e.Subject, e.Details ?? "",
            }));
        Response.Headers.CacheControl = "private, no-store";
        return File(csv, "text/csv; charset=utf-8", $"audit-{DateTime.UtcNow:yyyyMMdd}.csv");
    }

    private async Task<IActionResult> ListAsync()
    {
        PageNumber = Math.Clamp(PageNumber, 1, 1_000_000);
        try
        {
            Entries = await audit.ListAsync(Query((PageNumber - 1) * PageSize, PageSize), Caller, HttpContext.RequestAborted);
            if (Entries.Items.Count == 0 && Entries.Total > 0)
            {
                // Past the last page (an old link, a hand-typed ?hal=): the last page, not "page 28 of 14".
                PageNumber = Pages;
                Entries = await audit.ListAsync(Query((PageNumber - 1) * PageSize, PageSize), Caller, HttpContext.RequestAborted);
            }
        }
        catch (SegelException e)
        {
            return Failed(e, e.Field == "to" ? nameof(To) : null);
        }
        return Page();
    }

    // Dates are the regency's (WITA): "to" includes its whole day.
    private AuditQuery Query(int offset, int limit) => new(Action, Actor, Subject, Words, AuditWords.Matching(Words, Language),
        From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), PortalFormat.Wita) : null,
        To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), PortalFormat.Wita) : null,
        Offset: offset, Limit: limit);

    public string Link(int page) => "?" + Filters() + $"&hal={page}";

    public string CsvLink => "?handler=Csv&" + Filters();

    private string Filters() =>
        $"q={Uri.EscapeDataString(Words ?? "")}&tindakan={Uri.EscapeDataString(Action ?? "")}&pelaku={Uri.EscapeDataString(Actor ?? "")}" +
        $"&subjek={Uri.EscapeDataString(Subject ?? "")}&dari={From:yyyy-MM-dd}&sampai={To:yyyy-MM-dd}";
}
