using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Server.Security;

namespace Segel.Server.Api;

/// <summary>Applications for certificates (Pasal 9, 14, 16) over HTTP: the same core calls every other door uses.</summary>
public static class EnrollmentEndpoints
{
    public sealed record EnrollmentView(long Id, string Kind, string State, string? CertificateSerial, string Location);

    public sealed record DecisionRequest(string? Passphrase);

    /// <param name="Documents">The documents that must be replaced (e.g. <c>id-card</c> for an unreadable scan); the checklist marks them until new ones are attached.</param>
    public sealed record RejectionRequest(string? Reason, string? Passphrase, IReadOnlyList<string>? Documents = null);

    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapEnrollmentApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1/enrollments").WithTags("Applications");
        api.MapPost("/", Create).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Apply for a certificate for an employee of your agency (agency heads). kind: new, renewal or reissue. Send an Idempotency-Key header so a retry never makes a second application.");
        api.MapGet("/", List).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Applications, oldest submission first — the RA's queue with state=submitted. Filters: state, kind, agency, search; paged by offset and limit.");
        api.MapGet("/{id:long}", Get).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("One application with its documents, what is missing, and the officers' signed decisions. Audited as a read of personal data.");
        api.MapPut("/{id:long}/documents/{kind}", Attach).RequireAuthorization(SegelPolicies.Api).WithMetadata(new BodyLimit(DocumentIntake.MaxBytes))
            .Accepts<byte[]>("application/pdf", "image/jpeg", "image/png")
            .WithSummary("Attach a document as the raw body: request-letter, recommendation-letter, registration-form, id-card, appointment-decree, superior-statement. PDF, JPEG or PNG (read from the content), at most 10 MiB.");
        api.MapGet("/{id:long}/documents/{kind}", Download).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Download an attached document. Audited as a read of personal data.");
        api.MapPost("/{id:long}/confirmation-code", Resend).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Send the holder a new e-mail confirmation code (the application's agency head).");
        api.MapPost("/{id:long}/holder-confirmation", Confirm).RequireRateLimiting(RateLimits.Anonymous)
            .WithSummary("The holder, with the code from the e-mail: confirms the address and accepts the subscriber agreement version shown (Pasal 7, 14 f–g), setting the passphrase of the key Segel keeps. No sign-in; 5 wrong codes void the code.");
        api.MapPost("/{id:long}/submission", Submit).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Send a complete application to the RA (or send a returned one again).");
        api.MapPost("/{id:long}/cancellation", Cancel).RequireAuthorization(SegelPolicies.Api).WithSummary("Withdraw an application before it is decided.");
        api.MapPost("/{id:long}/approval", Approve).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Approve and issue (RA officers holding a valid certificate; the decision is signed with it, unlocked by the passphrase).");
        api.MapPost("/{id:long}/rejection", Reject).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Return the application with a reason; the agency is e-mailed and may resubmit (RA officers; signed like an approval).");
        return app;
    }

    private static EnrollmentView View(EnrollmentSnapshot e, string? serial = null) =>
        new(e.Id, e.Kind.ToName(), e.State.ToName(), serial, $"/api/v1/enrollments/{e.Id}");

    private static async Task<IResult> Create(NewEnrollment request, Enrollments enrollments, HttpContext context, CancellationToken cancellationToken)
    {
        EnrollmentSnapshot created = await enrollments.CreateAsync(request, HttpCaller.Principal(context),
            context.Request.Headers[IdempotencyHeader].ToString(), cancellationToken);
        return Results.Created($"/api/v1/enrollments/{created.Id}", View(created));
    }

    private static async Task<IResult> List(EnrollmentQueries enrollmentQueries, HttpContext context, string? state, string? kind, string? agency, string? search, int? offset, int? limit,
        CancellationToken cancellationToken) =>
        Results.Ok(await enrollmentQueries.ListAsync(new EnrollmentFilter(state, kind, agency, search, offset, limit), HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Get(long id, EnrollmentQueries enrollmentQueries, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await enrollmentQueries.GetAsync(id, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));

    private static async Task<IResult> Attach(long id, string kind, Enrollments enrollments, HttpContext context, CancellationToken cancellationToken)
    {
        DocumentKind documentKind = LifecycleTerms.ParseDocument(kind);
        byte[] body = await HttpCaller.ReadBodyAsync(context, DocumentIntake.MaxBytes, cancellationToken);
        string? fileName = ContentDispositionHeaderValue.TryParse(context.Request.Headers.ContentDisposition.ToString(), out ContentDispositionHeaderValue? disposition)
            ? (disposition.FileNameStar.Value ?? disposition.FileName.Value)?.Trim('"') : null;
        return Results.Ok(await enrollments.AttachAsync(id, documentKind, body, fileName, HttpCaller.Principal(context), cancellationToken));
    }

    private static async Task<IResult> Download(long id, string kind, EnrollmentQueries enrollmentQueries, HttpContext context, CancellationToken cancellationToken)
    {
        DocumentContent document = await enrollmentQueries.ReadDocumentAsync(id, LifecycleTerms.ParseDocument(kind), HttpCaller.Principal(context),
            HttpCaller.Origin(context), cancellationToken);
        context.Response.Headers["X-Content-SHA256"] = document.Sha256;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(document.Content, document.ContentType, document.FileName ?? $"{kind}-{id}");
    }

    private static async Task<IResult> Resend(long id, Enrollments enrollments, HttpContext context, CancellationToken cancellationToken)
    {
        await enrollments.ResendCodeAsync(id, HttpCaller.Principal(context), cancellationToken);
        return Results.Accepted();
    }

    private static async Task<IResult> Confirm(long id, HolderConfirmation confirmation, Enrollments enrollments, HttpContext context, CancellationToken cancellationToken)
    {
        await enrollments.ConfirmAsync(id, confirmation, HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> Submit(long id, Enrollments enrollments, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(View(await enrollments.SubmitAsync(id, HttpCaller.Principal(context), cancellationToken)));

    private static async Task<IResult> Cancel(long id, Enrollments enrollments, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(View(await enrollments.CancelAsync(id, HttpCaller.Principal(context), cancellationToken)));

    private static async Task<IResult> Approve(long id, DecisionRequest request, EnrollmentReview review, HttpContext context, CancellationToken cancellationToken)
    {
        (EnrollmentSnapshot enrollment, CertificateView certificate) = await review.ApproveAsync(id, request.Passphrase, HttpCaller.Principal(context), cancellationToken);
        return Results.Ok(View(enrollment, certificate.Serial));
    }

    private static async Task<IResult> Reject(long id, RejectionRequest request, EnrollmentReview review, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(View(await review.RejectAsync(id, request.Reason, request.Documents, request.Passphrase, HttpCaller.Principal(context), cancellationToken)));
}
