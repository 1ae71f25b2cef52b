using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Configuration;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Api;

/// <summary>The record of signatures (supervision) and the holder's own key: passphrase, PKCS#12, one-time-code signing.</summary>
public static class SignatureEndpoints
{
    public sealed record PassphraseChange(string? OldPassphrase, string? NewPassphrase);

    /// <param name="Serial">Another of the holder's certificates whose kept key to export (an encryption certificate's); the current signing one when empty.</param>
    public sealed record Pkcs12Request(string? Passphrase, string? ExportPassword, string? Serial = null);

    public sealed record CodeSigningRequest(string? Passphrase);

    public static IEndpointRouteBuilder MapSignatureApi(this IEndpointRouteBuilder app, int pdfMegabytes)
    {
        long pdfBytes = (long)pdfMegabytes * 1024 * 1024;
        app.MapPost("/api/v1/documents/extension", Extend).RequireAuthorization(SegelPolicies.Api).RequireRateLimiting(RateLimits.Signing).WithTags("Signatures")
            .WithMetadata(new BodyLimit(pdfBytes)).Accepts<byte[]>("application/pdf", Segel.Pdf.Containers.AsicE.MimeType)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status200OK, contentType: Segel.Pdf.Containers.AsicE.MimeType)
            .WithSummary("Extend a signed PDF (the body) to PAdES B-LTA, or an ASiC-E container to B-LTA (its signatures' missing OCSP responses, then a new archive time-stamp over every part, renewing an earlier one), with this Segel's time-stamping authority and revocation data, so it still verifies after its certificates expire; every signature must verify as valid now. Returns the extended document. Tokens need sign:pdf; any signed-in person may.");
        app.MapPost("/api/v1/documents/container", SignContainer).RequireAuthorization(SegelPolicies.Api).RequireRateLimiting(RateLimits.Signing).WithTags("Signatures")
            .WithMetadata(new BodyLimit(pdfBytes + 64 * 1024)).DisableAntiforgery().Produces(StatusCodes.Status200OK, contentType: Segel.Pdf.Containers.AsicE.MimeType)
            .Produces(StatusCodes.Status200OK, contentType: "application/pkcs7-signature")
            .WithSummary("Sign files of any type (multipart: one or more `file` parts, each under its own name) as one ASiC-E container with the key Segel keeps for a holder (`nik` or `email`; none: the person signing) opened by `passphrase` or `code` — CAdES with this Segel's time-stamp at `level` B-B, B-T, B-LT (default: with the OCSP responses that keep it checkable) or B-LTA (plus an archive time-stamp); `form=detached` signs one file by a detached signature (.p7s, up to B-LT). Returns the container; the signature's id and public page are in X-Segel-Signature-Id and X-Segel-Verification-Url. Tokens need sign:pdf; a person signs only with their own key. A seal:sign token seals with its institutional seal instead, from its networks, with no holder, passphrase or code.");
        app.MapGet("/api/v1/signatures", List).RequireAuthorization(SegelPolicies.Api).WithTags("Signatures")
            .WithSummary("Signatures made with keys Segel keeps, newest first (Pasal 21): administrators, auditors and RA officers see all, agency heads their agency's, holders their own. Filters: nip, from, to; paged.");
        RouteGroupBuilder key = app.MapGroup("/api/v1/me/key").WithTags("My key").RequireAuthorization(SegelPolicies.Api);
        key.MapPost("/passphrase", ChangePassphrase).WithSummary("Change the passphrase of my key (the old one is needed; five wrong ones lock the key).");
        key.MapPost("/pkcs12", Export).WithSummary("My certificate and key as PKCS#12 for a mail client, protected by an export password of my choosing.");
        key.MapPut("/code-signing", EnableCodes).WithSummary("Allow signing with a one-time code e-mailed to me instead of the passphrase (needs the passphrase).");
        key.MapDelete("/code-signing", DisableCodes).WithSummary("Stop signing with one-time codes.");
        return app;
    }

    private static async Task<IResult> List(SignatureRecords signatures, HttpContext context, string? nip, DateTimeOffset? from, DateTimeOffset? to, int? offset, int? limit,
        CancellationToken cancellationToken) =>
        Results.Ok(await signatures.ListAsync(nip, from, to, offset, limit, HttpCaller.Principal(context), cancellationToken));

    private static async Task<IResult> SignContainer(RemoteSigning signing, HttpContext context, CancellationToken cancellationToken)
    {
        IFormCollection form = await Uploads.ReadFormAsync(context, cancellationToken);
        var files = new List<FileToSign>(form.Files.Count);
        foreach (IFormFile file in form.Files.Where(f => f.Name == "file"))
        {
            using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
            await file.CopyToAsync(buffer, cancellationToken);
            files.Add(new FileToSign(Path.GetFileName(file.FileName), buffer.ToArray()));
        }
        string? Field(string name) => form[name].FirstOrDefault() is { Length: > 0 } value ? value : null;
        bool detached = Field("form") switch
        {
            null or "container" => false,
            "detached" => true,
            _ => throw SegelException.Invalid("form", Localized.Of("Error.SignatureForm")),
        };
        SignedDocument signed = await signing.SignContainerAsync(new ContainerSigningRequest
        {
            Files = files,
            Nik = Field("nik"),
            Email = Field("email"),
            Passphrase = Field("passphrase"),
            Code = Field("code"),
            Level = Bsre.BsreForms.Level(Field("level")),
            Detached = detached,
        }, HttpCaller.Principal(context), HttpCaller.Origin(context), cancellationToken);
        context.Response.Headers["X-Segel-Signature-Id"] = signed.Id;
        context.Response.Headers["X-Segel-Verification-Url"] = signed.VerificationUrl;
        context.Response.Headers.CacheControl = "no-store";
        return detached
            ? Results.File(signed.Content, "application/pkcs7-signature", files[0].Name + ".p7s")
            : Results.File(signed.Content, Segel.Pdf.Containers.AsicE.MimeType, "signed.asice");
    }

    private static async Task<IResult> Extend(DocumentExtension extension, SegelOptions options, HttpContext context, CancellationToken cancellationToken)
    {
        byte[] pdf = await HttpCaller.ReadBodyAsync(context, (long)options.Limits.PdfMegabytes * 1024 * 1024, cancellationToken);
        ExtendedPdf extended = await extension.ExtendAsync(HttpCaller.Principal(context), pdf, null, cancellationToken);
        return extended.IsContainer
            ? Results.File(extended.Content, Segel.Pdf.Containers.AsicE.MimeType, "extended.asice")
            : Results.File(extended.Content, "application/pdf", "extended.pdf");
    }

    private static async Task<IResult> ChangePassphrase(PassphraseChange request, OwnKeys ownKeys, HttpContext context, CancellationToken cancellationToken)
    {
        await ownKeys.ChangePassphraseAsync(HttpCaller.Principal(context), request.OldPassphrase, request.NewPassphrase, HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> Export(Pkcs12Request request, OwnKeys ownKeys, HttpContext context, CancellationToken cancellationToken)
    {
        byte[] pkcs12 = await ownKeys.ExportPkcs12Async(HttpCaller.Principal(context), request.Serial, request.Passphrase, request.ExportPassword ?? "",
            HttpCaller.Origin(context), cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(pkcs12, "application/x-pkcs12", "segel.p12");
    }

    private static async Task<IResult> EnableCodes(CodeSigningRequest request, OwnKeys ownKeys, HttpContext context, CancellationToken cancellationToken)
    {
        await ownKeys.SetCodeSigningAsync(HttpCaller.Principal(context), true, request.Passphrase, HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> DisableCodes(OwnKeys ownKeys, HttpContext context, CancellationToken cancellationToken)
    {
        await ownKeys.SetCodeSigningAsync(HttpCaller.Principal(context), false, null, HttpCaller.Origin(context), cancellationToken);
        return Results.NoContent();
    }
}
