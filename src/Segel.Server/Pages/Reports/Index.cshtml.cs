using Microsoft.AspNetCore.Mvc;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Core.Supervision;
using Segel.Server.Portal;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Pages.Reports;

/// <summary>
/// Pasal 25's supervision reports: any period, for the regency or an agency (an agency head their own), as a PDF, CSV
/// or workbook; and, for the head of the cryptography agency, the PDF signed with their own custody key.
/// </summary>
[PortalAccess(Role.Admin | Role.PolicyAdmin | Role.Auditor | Role.AgencyHead)]
public sealed class IndexModel(PeriodReports reports, ReportSigning documents, ScheduledReports stored, Findings findings, EmployeeDirectory employees)
    : PortalPage
{
    [BindProperty]
    public string? Finding { get; set; }

    [BindProperty]
    public string? FollowUp { get; set; }

    [BindProperty]
    public DateOnly? DueDate { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public IReadOnlyList<FindingView> Findings { get; private set; } = [];

    public string? Done { get; private set; }

    /// <summary>A stored report, for its download and signing handlers.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public IReadOnlyList<StoredReportView> Stored { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Format { get; set; } = "pdf";

    [BindProperty]
    public string? Passphrase { get; set; }

    public IReadOnlyList<AgencyView> Agencies { get; private set; } = [];

    /// <summary>Administrators and policy administrators who are employees may sign (their key decides; the core checks).</summary>
    public bool MaySign => Caller.Has(Role.Admin | Role.PolicyAdmin) && Caller.EmployeeId is not null;

    public bool Supervisor => Caller.Has(Role.Admin | Role.PolicyAdmin | Role.Auditor);

    /// <summary>The periods offered first: the last two half-years and years that have ended, and this year so far.</summary>
    public IReadOnlyList<string> Suggested
    {
        get
        {
            DateTimeOffset now = Now.ToOffset(ReportPeriod.Wita);
            int year = now.Year;
            string current = now.Month <= 6 ? $"{year - 1}-H2" : $"{year}-H1";
            string before = now.Month <= 6 ? $"{year - 1}-H1" : $"{year - 1}-H2";
            return [$"{year}", current, before, $"{year - 1}"];
        }
    }

    public async Task<IActionResult> OnGetAsync()
    {
        Done = TempData[DoneKey] as string;
        Period ??= Suggested[1];
        return await ShowAsync();
    }

    /// <summary>The report in the format asked for, as a download; a refusal is shown on the page.</summary>
    public async Task<IActionResult> OnGetDownloadAsync()
    {
        try
        {
            ReportPeriod period = ReportPeriod.Parse(Period);
            string? agency = string.IsNullOrWhiteSpace(Agency) ? null : Agency;
            string format = (Format ?? "pdf").Trim().ToLowerInvariant();
            if (format == "pdf")
            {
                byte[] draft = await documents.PdfAsync(period, agency, Language, null, Caller, Origin, HttpContext.RequestAborted);
                return File(draft, ReportPdf.ContentType, ReportFiles.Name(period, agency, "pdf", "-draf"));
            }
            if (format is not ("csv" or "xlsx"))
            {
                throw SegelException.Invalid("format", Localized.Of("Error.ReportJsonCsvXlsxPdf", Format));
            }
            PeriodReport report = await reports.ComputeAsync(period, agency, Caller, HttpContext.RequestAborted);
            (byte[] content, string type) = ReportFiles.Table(report, format)!.Value;
            return File(content, type, ReportFiles.Name(report, format));
        }
        catch (SegelException e)
        {
            Show(e, e.Field == "agency" ? nameof(Agency) : e.Field == "format" ? nameof(Format) : nameof(Period));
            await ShowAsync();
            return Page().WithStatus(StatusOf(e));
        }
    }

    /// <summary>The PDF signed by the caller with their own custody key (PAdES B-LT).</summary>
    public async Task<IActionResult> OnPostSignAsync()
    {
        try
        {
            ReportPeriod period = ReportPeriod.Parse(Period);
            string? agency = string.IsNullOrWhiteSpace(Agency) ? null : Agency;
            byte[] signed = await documents.PdfAsync(period, agency, Language, new ReportSigner(Caller.Name, Passphrase ?? ""), Caller, Origin, HttpContext.RequestAborted);
            return File(signed, ReportPdf.ContentType, ReportFiles.Name(period, agency, "pdf"));
        }
        catch (SegelException e)
        {
            return await RefusedAsync(e, ShowAsync, e.Field == "agency" ? nameof(Agency) : e.Field == "period" ? nameof(Period) : nameof(Passphrase));
        }
    }

    /// <summary>A stored report (checked against the hash the audit chain holds) in the format asked for.</summary>
    public async Task<IActionResult> OnGetStoredAsync()
    {
        try
        {
            PeriodReport report = await stored.OpenAsync(Id ?? 0, Caller, HttpContext.RequestAborted);
            string format = (Format ?? "pdf").Trim().ToLowerInvariant();
            return ReportFiles.Table(report, format) is ({ } content, { } type)
                ? File(content, type, ReportFiles.Name(report, format))
                : File(await documents.PdfAsync(report, Language, null, Caller, Origin, HttpContext.RequestAborted), ReportPdf.ContentType, ReportFiles.Name(report, "pdf", "-draf"));
        }
        catch (SegelException e)
        {
            Show(e);
            await ShowAsync();
            return Page().WithStatus(StatusOf(e));
        }
    }

    /// <summary>A stored report signed by the caller with their own custody key.</summary>
    public async Task<IActionResult> OnPostSignStoredAsync()
    {
        try
        {
            PeriodReport report = await stored.OpenAsync(Id ?? 0, Caller, HttpContext.RequestAborted);
            byte[] signed = await documents.PdfAsync(report, Language, new ReportSigner(Caller.Name, Passphrase ?? ""), Caller, Origin, HttpContext.RequestAborted);
            return File(signed, ReportPdf.ContentType, ReportFiles.Name(report, "pdf"));
        }
        catch (SegelException e)
        {
            return await RefusedAsync(e, ShowAsync, nameof(Passphrase));
        }
    }

    /// <summary>A supervisor records an evaluation finding on a period's report.</summary>
    public Task<IActionResult> OnPostFindingAsync() => ActAsync(async cancel =>
    {
        await findings.AddAsync(new NewFinding(Period, Agency, Finding, FollowUp, DueDate), Caller, Origin, cancel);
        return "DoneFindingRecorded";
    }, ShowAsync, "/laporan#findings-title");

    /// <summary>A supervisor closes a finding with a note on its follow-up.</summary>
    public Task<IActionResult> OnPostCloseFindingAsync() => ActAsync(async cancel =>
    {
        await findings.CloseAsync(Id ?? 0, Note, Caller, Origin, cancel);
        return "DoneFindingClosed";
    }, ShowAsync, "/laporan#findings-title", _ => nameof(Note));

    protected override void ForgetSecrets() => Passphrase = null;

    private async Task<IActionResult> ShowAsync()
    {
        Agencies = Supervisor ? await employees.AgenciesAsync(Caller, cancellationToken: HttpContext.RequestAborted) : [];
        Stored = await stored.ListAsync(Caller, HttpContext.RequestAborted);
        Findings = await findings.ListAsync(Caller, HttpContext.RequestAborted);
        return Page();
    }
}
