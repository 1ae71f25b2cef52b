using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Errors;
using Segel.Core.Seals;
using Segel.Core.Signing;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Api;

/// <summary>Institutional e-seals over HTTP (issue 23.2): applications and RA decisions, and sealing with a seal token.</summary>
public static class SealEndpoints
{
    public sealed record SealApplication(string? Name, string? Purpose);

    public sealed record SealApproval(string? Passphrase);

    public sealed record SealRejection(string? Reason, string? Passphrase);

    public static IEndpointRouteBuilder MapSealApi(this IEndpointRouteBuilder app, int pdfMegabytes)
    {
        long pdfBytes = (long)pdfMegabytes * 1024 * 1024;
        RouteGroupBuilder seals = app.MapGroup("/api/v1/seals").WithTags("Seals").RequireAuthorization(SegelPolicies.Api);
        seals.MapGet("", List).WithSummary("Institutional e-seals: an agency head sees their agency's, RA officers, administrators and auditors all.");
        seals.MapPost("", Apply).Produces<SealView>(StatusCodes.Status201Created)
            .WithSummary("Apply for an e-seal of my agency (agency heads): `name` (its certificate's common name, e.g. the application) and `purpose`. Segel makes and keeps the key; an RA officer decides.");
        seals.MapPost("/{id:long}/approval", Approve)
            .WithSummary("Approve an e-seal application (RA officers, with their own `passphrase`, which signs the decision): issues the seal's certificate — the agency, the seal's name, no person.");
        seals.MapPost("/{id:long}/rejection", Reject)
            .WithSummary("Reject an e-seal application with a `reason` (RA officers, with their `passphrase`); its key is destroyed.");
        app.MapPost("/api/v1/documents/seal", Seal).RequireAuthorization(SegelPolicies.Api).RequireRateLimiting(RateLimits.Signing).WithTags("Seals")
            .WithMetadata(new BodyLimit(pdfBytes + 64 * 1024)).DisableAntiforgery().Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithSummary("Seal a PDF (multipart: one `file`; `level` B-B, B-T, B-LT (default) or B-LTA; `reason`, `location`) with the institutional seal the token is bound to — tokens with seal:sign only, from the token's networks; no holder and no passphrase. Returns the sealed PDF; its public page (\"sealed by\" the agency) is in X-Segel-Verification-Url.");
        return app;
    }

    private static async Task<IResult> List(InstitutionalSeals seals, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await seals.ListAsync(HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> Apply(SealApplication request, InstitutionalSeals seals, HttpContext context, CancellationToken cancellationToken)
    {
        SealView view = await seals.ApplyAsync(new NewSeal(request?.Name, request?.Purpose), HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        return Results.Created($"/api/v1/seals/{view.Id}", view);
    }

    private static async Task<IResult> Approve(long id, SealApproval request, InstitutionalSeals seals, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await seals.ApproveAsync(id, request?.Passphrase, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));

    private static async Task<IResult> Reject(long id, SealRejection request, InstitutionalSeals seals, HttpContext context, CancellationToken cancellationToken) =>
        Results.Ok(await seals.RejectAsync(id, request?.Reason, request?.Passphrase, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken));

    private static async Task<IResult> Seal(RemoteSigning signing, HttpContext context, CancellationToken cancellationToken)
    {
        IFormCollection form = await Uploads.ReadFormAsync(context, cancellationToken);
        IFormFile[] files = [.. form.Files.Where(f => f.Name == "file")];
        if (files.Length != 1)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.SealOneFile"));
        }
        using var buffer = new MemoryStream((int)Math.Min(files[0].Length, int.MaxValue));
        await files[0].CopyToAsync(buffer, cancellationToken);
        string? Field(string name) => form[name].FirstOrDefault() is { Length: > 0 } value ? value : null;
        IReadOnlyList<SignedDocument> sealedPdf = await signing.SealAsync(new PdfSigningRequest
        {
            Documents = [new PdfToSign(buffer.ToArray(), Path.GetFileName(files[0].FileName))],
            Level = Field("level") is { } level ? Bsre.BsreForms.Level(level) : Segel.Pdf.Signing.PadesLevel.BaselineLT,
            Reason = Field("reason"),
            Location = Field("location"),
        }, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        context.Response.Headers["X-Segel-Signature-Id"] = sealedPdf[0].Id;
        context.Response.Headers["X-Segel-Verification-Url"] = sealedPdf[0].VerificationUrl;
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(sealedPdf[0].Content, "application/pdf", Path.GetFileNameWithoutExtension(files[0].FileName) + "-disegel.pdf");
    }
}
