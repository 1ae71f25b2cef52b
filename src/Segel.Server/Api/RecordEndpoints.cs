using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Supervision;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Api;

/// <summary>The subscriber agreement and the audit record (Pasal 7, 21) over HTTP.</summary>
public static class RecordEndpoints
{
    public sealed record AgreementView(int Version, string Text, string Sha256, DateTimeOffset PublishedAt);

    public sealed record PublishRequest(string? Text);

    public static IEndpointRouteBuilder MapRecordApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder agreements = app.MapGroup("/api/v1/agreements").WithTags("Subscriber agreement");
        agreements.MapGet("/current", Current).WithSummary("The subscriber agreement holders accept now (public).");
        agreements.MapGet("/{version:int}", Version).WithSummary("An earlier version, as it was accepted (public).");
        agreements.MapPost("/", Publish).RequireAuthorization(SegelPolicies.Api).WithSummary("Publish a new version (policy administrators).");

        RouteGroupBuilder audit = app.MapGroup("/api/v1/audit").WithTags("Audit");
        audit.MapGet("/", List).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("The audit record, newest first (administrators, auditors). Filters: action (prefix), actor, subject, after (sequence), request (the id a request's log lines carry); paged.");
        audit.MapGet("/verification", Verify).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Checks the whole chain and its signed checkpoints; names the first bad entry.");
        audit.MapGet("/checkpoints", Checkpoints).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("The signed checkpoints with the signed bytes and signer certificate, for auditors to keep outside Segel.");

        app.MapGet("/api/v1/reports", Report).WithTags("Supervision").RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Pasal 25's supervision figures for ?period=2026-H1|2026|FROM..TO (WITA), the regency's or ?agency=CODE's: JSON, one CSV table with ?format=csv, a workbook with ?format=xlsx, or an unsigned draft PDF with ?format=pdf (&language=en for English) (administrators, policy administrators, auditors; agency heads their own agency).");
        app.MapGet("/api/v1/reports/stored", StoredList).WithTags("Supervision").RequireAuthorization(SegelPolicies.Api)
            .WithSummary("The half-yearly and yearly reports generated on schedule, newest first (an agency head sees their agency's).");
        app.MapGet("/api/v1/reports/stored/{id:long}", Stored).WithTags("Supervision").RequireAuthorization(SegelPolicies.Api)
            .WithSummary("A stored report's figures, checked against the hash in the audit chain: JSON, or ?format=csv|xlsx|pdf (an unsigned draft PDF).");
        app.MapGet("/api/v1/findings", FindingList).WithTags("Supervision").RequireAuthorization(SegelPolicies.Api)
            .WithSummary("The evaluation findings, open ones first (supervisors every one, an agency head their agency's).");
        app.MapPost("/api/v1/findings", AddFinding).WithTags("Supervision").RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Record a finding on a period's report: {period, agency?, finding, followUp, dueDate} (administrators, policy administrators, auditors).");
        app.MapPost("/api/v1/findings/{id:long}/closure", CloseFinding).WithTags("Supervision").RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Close an open finding with a note on its follow-up, once.");
        app.MapPost("/api/v1/reports/signed", SignedReport).WithTags("Supervision").RequireAuthorization(SegelPolicies.Api)
            .WithSummary("The report as a PDF signed (PAdES B-LT) by the caller with their own custody key: an administrator or policy administrator who holds a key Segel keeps, with its passphrase.");
        return app;
    }

    private static AgreementView View(SubscriberAgreement a) => new(a.Version, a.Text, a.Sha256, a.PublishedAt);

    private static async Task<IResult> Current(SubscriberAgreements agreements, CancellationToken cancellationToken) => Results.Ok(View(await agreements.CurrentAsync(cancellationToken)));

    private static async Task<IResult> Version(int version, SubscriberAgreements agreements, CancellationToken cancellationToken) =>
        Results.Ok(View(await agreements.GetAsync(version, cancellationToken)));

    private static async Task<IResult> Publish(PublishRequest request, SubscriberAgreements agreements, HttpContext context, CancellationToken cancellationToken)
    {
        SubscriberAgreement published = await agreements.PublishAsync(request.Text ?? "", HttpCaller.Principal(context), cancellationToken);
        return Results.Created($"/api/v1/agreements/{published.Version}", View(published));
    }

    private static async Task<IResult> List(AuditQueries audit, HttpContext context, string? action, string? actor, string? subject, long? after, int? offset, int? limit,
        string? request, CancellationToken cancellationToken) =>
        Results.Ok(await audit.ListAsync(new AuditQuery(action, actor, subject, AfterSequence: after, Offset: offset, Limit: limit, RequestId: request),
            HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Verify(AuditQueries audit, HttpContext context, CancellationToken cancellationToken)
    {
        AuditVerification result = await audit.VerifyAsync(HttpCaller.Principal(context), cancellationToken);
        return Results.Ok(new { intact = result.Intact, entries = result.Entries, brokenAt = result.BrokenAt, problem = result.Problem, differences = result.Differences });
    }

    private static async Task<IResult> Report(PeriodReports reports, ReportSigning documents, HttpContext context, string? period, string? agency, string? format,
        string? language, CancellationToken cancellationToken)
    {
        string kind = (format ?? "json").Trim().ToLowerInvariant();
        if (kind is not ("json" or "csv" or "xlsx" or "pdf"))
        {
            throw SegelException.Invalid("format", Localized.Of("Error.ReportJsonCsvXlsxPdf", kind));
        }
        if (kind == "pdf")
        {
            ReportPeriod when = ReportPeriod.Parse(period);
            byte[] draft = await documents.PdfAsync(when, agency, ReportPdf.Language(language), null, HttpCaller.Principal(context), null, cancellationToken);
            return Results.File(draft, ReportPdf.ContentType, ReportFiles.Name(when, agency, "pdf", "-draf"));
        }
        PeriodReport report = await reports.ComputeAsync(ReportPeriod.Parse(period), agency, HttpCaller.Principal(context), cancellationToken);
        return ReportFiles.Table(report, kind) is ({ } content, { } type) ? Results.File(content, type, ReportFiles.Name(report, kind)) : Results.Ok(report);
    }

    private static async Task<IResult> FindingList(Findings findings, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await findings.ListAsync(HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> AddFinding(NewFinding request, Findings findings, HttpContext context, CancellationToken cancellationToken)
    {
        FindingView added = await findings.AddAsync(request, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.Created($"/api/v1/findings/{added.Id}", added);
    }

    private static async Task<IResult> CloseFinding(long id, FindingClosure request, Findings findings, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await findings.CloseAsync(id, request.Note, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));

    private static async Task<IResult> StoredList(ScheduledReports stored, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await stored.ListAsync(HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Stored(long id, string? format, string? language, ScheduledReports stored, ReportSigning documents, HttpContext context,
        CancellationToken cancellationToken)
    {
        string kind = (format ?? "json").Trim().ToLowerInvariant();
        if (kind is not ("json" or "csv" or "xlsx" or "pdf"))
        {
            throw SegelException.Invalid("format", Localized.Of("Error.ReportJsonCsvXlsxPdf", kind));
        }
        Principal by = HttpCaller.Principal(context);
        PeriodReport report = await stored.OpenAsync(id, by, cancellationToken);
        if (kind == "pdf")
        {
            return Results.File(await documents.PdfAsync(report, ReportPdf.Language(language), null, by, null, cancellationToken), ReportPdf.ContentType,
                ReportFiles.Name(report, "pdf", "-draf"));
        }
        return ReportFiles.Table(report, kind) is ({ } content, { } type) ? Results.File(content, type, ReportFiles.Name(report, kind)) : Results.Ok(report);
    }

    private static async Task<IResult> SignedReport(SignedReportRequest request, ReportSigning documents, HttpContext context, CancellationToken cancellationToken)
    {
        Principal by = HttpCaller.Principal(context);
        ReportPeriod when = ReportPeriod.Parse(request.Period);
        byte[] signed = await documents.PdfAsync(when, request.Agency, ReportPdf.Language(request.Language), new ReportSigner(by.Name, request.Passphrase ?? ""), by,
            HttpCaller.Origin(context), cancellationToken);
        return Results.File(signed, ReportPdf.ContentType, ReportFiles.Name(when, request.Agency, "pdf"));
    }

    private static async Task<IResult> Checkpoints(AuditQueries audit, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await audit.ExportCheckpointsAsync(HttpCaller.Principal(context), cancellationToken));
}

/// <summary>A signed report: the period, optionally one agency and English, and the caller's own passphrase.</summary>
internal sealed record SignedReportRequest(string? Period, string? Agency, string? Language, string? Passphrase);

/// <summary>How a finding was followed up.</summary>
internal sealed record FindingClosure(string? Note);
