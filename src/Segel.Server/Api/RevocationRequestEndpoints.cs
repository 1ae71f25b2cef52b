using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Lifecycle;
using Segel.Server.Security;

namespace Segel.Server.Api;

/// <summary>Revocation requests (Pasal 17, 19d, 22) over HTTP.</summary>
public static class RevocationRequestEndpoints
{
    /// <param name="Letter">The agency head's signed request letter, base64 (PDF, JPEG or PNG).</param>
    /// <param name="Ground">The regulation's ground, which fixes the RFC 5280 reason: transfer, retirement, death, dismissal (agency heads);
    /// misuse, wrong-information, key-lost, key-leaked (holders, own certificate); sanction, compromise-reported (RA officers).</param>
    public sealed record RevocationRequestBody(string? Serial, string? Reason, string? ContactEmail, string? Letter, string? LetterFileName, string? Statement,
        string? Passphrase, string? Ground = null);

    public static IEndpointRouteBuilder MapRevocationRequestApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1/revocation-requests").WithTags("Revocation");
        // base64 of the largest letter, plus the JSON around it
        api.MapPost("/", Create).RequireAuthorization(SegelPolicies.Api).WithMetadata(new BodyLimit(DocumentIntake.MaxBytes / 3 * 4 + 64 * 1024))
            .WithSummary("Request revocation on a ground. Agency heads: transfer, retirement, death or dismissal of their staff, with the signed letter and the address for the answer (waits for the RA). Holders: misuse, wrong-information, key-lost or key-leaked of their own certificate (at once, reviewed afterwards). RA officers: sanction or compromise-reported (at once, signed with their passphrase). A bare RFC 5280 reason is still understood.");
        api.MapGet("/", List).RequireAuthorization(SegelPolicies.Api).WithSummary("Revocation requests, oldest first; filter by state (pending, approved, rejected, effective, reviewed).");
        api.MapGet("/{id:long}", Get).RequireAuthorization(SegelPolicies.Api).WithSummary("One revocation request with the signed decisions.");
        api.MapPost("/{id:long}/approval", Approve).RequireAuthorization(SegelPolicies.Api)
            .WithSummary("Approve a pending request (revokes now; CRL and OCSP show it at once; the requesting agency is e-mailed), or record the review of an effective one. RA officers.");
        api.MapPost("/{id:long}/rejection", Reject).RequireAuthorization(SegelPolicies.Api).WithSummary("Reject a pending request or a proposal with a reason. RA officers.");
        api.MapPost("/{id:long}/endorsement", Endorse).RequireAuthorization(SegelPolicies.Api).WithMetadata(new BodyLimit(DocumentIntake.MaxBytes / 3 * 4 + 64 * 1024))
            .WithSummary("Send on a proposal a personnel import opened (state proposed) with the signed request letter and the address for the answer; it becomes pending for the RA. The head of the agency it is for.");
        return app;
    }

    private static async Task<IResult> Create(RevocationRequestBody body, RevocationRequests revocations, RevocationRequestQueries revocationQueries, HttpContext context, CancellationToken cancellationToken)
    {
        byte[] letter = HttpCaller.FromBase64(body.Letter, "letter");
        RevocationRequestSnapshot created = await revocations.CreateAsync(
            new NewRevocationRequest(body.Serial, body.Reason, body.ContactEmail, letter.Length == 0 ? null : letter, body.LetterFileName, body.Statement, body.Passphrase, body.Ground),
            HttpCaller.Principal(context), context.Request.Headers[EnrollmentEndpoints.IdempotencyHeader].ToString(), cancellationToken);
        return Results.Created($"/api/v1/revocation-requests/{created.Id}",
            await revocationQueries.GetAsync(created.Id, HttpCaller.Principal(context), cancellationToken));
    }

    private static async Task<IResult> List(RevocationRequestQueries revocationQueries, HttpContext context, string? state, int? offset, int? limit, CancellationToken cancellationToken) =>
        Results.Ok(await revocationQueries.ListAsync(state, offset, limit, HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Get(long id, RevocationRequestQueries revocationQueries, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await revocationQueries.GetAsync(id, HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Approve(long id, EnrollmentEndpoints.DecisionRequest request, RevocationRequests revocations, RevocationRequestQueries revocationQueries, HttpContext context, CancellationToken cancellationToken)
    {
        RevocationRequestSnapshot record = await revocations.ApproveAsync(id, request.Passphrase, HttpCaller.Principal(context), cancellationToken);
        return Results.Ok(await revocationQueries.GetAsync(record.Id, HttpCaller.Principal(context), cancellationToken));
    }

    /// <param name="Letter">The agency head's signed request letter, base64 (PDF, JPEG or PNG).</param>
    public sealed record EndorsementBody(string? Letter, string? LetterFileName, string? ContactEmail, string? Statement);

    private static async Task<IResult> Endorse(long id, EndorsementBody body, RevocationRequests revocations, RevocationRequestQueries revocationQueries, HttpContext context,
        CancellationToken cancellationToken)
    {
        byte[] letter = HttpCaller.FromBase64(body.Letter, "letter");
        RevocationRequestSnapshot record = await revocations.EndorseAsync(id,
            new RevocationEndorsement(letter.Length == 0 ? null : letter, body.LetterFileName, body.ContactEmail, body.Statement), HttpCaller.Principal(context), cancellationToken);
        return Results.Ok(await revocationQueries.GetAsync(record.Id, HttpCaller.Principal(context), cancellationToken));
    }

    private static async Task<IResult> Reject(long id, EnrollmentEndpoints.RejectionRequest request, RevocationRequests revocations, RevocationRequestQueries revocationQueries, HttpContext context, CancellationToken cancellationToken)
    {
        RevocationRequestSnapshot record = await revocations.RejectAsync(id, request.Reason, request.Passphrase, HttpCaller.Principal(context), cancellationToken);
        return Results.Ok(await revocationQueries.GetAsync(record.Id, HttpCaller.Principal(context), cancellationToken));
    }
}
