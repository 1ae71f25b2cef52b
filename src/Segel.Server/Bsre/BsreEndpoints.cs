using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Lifecycle;
using Segel.Core.Signing;
using Segel.Server.Api;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Bsre;

/// <summary>
/// The national signing service's API shape (see docs/remote-signing.md, "The national service's API shape"), so an e-government application
/// switches to Segel by changing its base URL and credentials. Every rule is the core's (<see cref="RemoteSigning"/>,
/// <see cref="HolderStatuses"/>, <see cref="DocumentVerification"/>); this file only translates field names.
/// </summary>
public static class BsreEndpoints
{
    private const int MaxImageBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapBsreApi(this IEndpointRouteBuilder app, int pdfMegabytes)
    {
        long pdfBytes = (long)pdfMegabytes * 1024 * 1024;
        RouteGroupBuilder v1 = app.MapGroup("/api").WithTags("national API (BSrE) v1").AddEndpointFilter(new BsreErrors()).RequireAuthorization(SegelPolicies.Api).WithMetadata(new NationalApiRoute()).RequireRateLimiting(RateLimits.Signing);
        v1.MapPost("/sign/pdf", SignV1).WithMetadata(new BodyLimit(pdfBytes + 2 * MaxImageBytes + 64 * 1024)).DisableAntiforgery()
            .WithSummary("Sign a PDF (multipart: file, nik, passphrase or totp, tampilan, image, imageTTD, linkQR, page, xAxis, yAxis, width, height, tag_koordinat, reason, location, text); returns the signed PDF.");
        v1.MapPost("/sign/verify", VerifyV1).WithMetadata(new BodyLimit(pdfBytes + 64 * 1024)).DisableAntiforgery()
            .WithSummary("Verify a signed PDF (multipart field signed_file).");
        v1.MapGet("/user/status/{nik}", StatusV1).WithSummary("A holder's certificate status by NIK.");

        RouteGroupBuilder v2 = app.MapGroup("/api/v2").WithTags("national API (BSrE) v2").AddEndpointFilter(new BsreErrors()).RequireAuthorization(SegelPolicies.Api).WithMetadata(new NationalApiRoute()).RequireRateLimiting(RateLimits.Signing);
        v2.MapPost("/sign/pdf", SignV2).WithMetadata(new BodyLimit(pdfBytes * 2))
            .WithSummary("Sign PDFs given as base64 (nik or email, passphrase or totp, signatureProperties, file[]); returns them signed, base64.");
        v2.MapPost("/sign/get/totp", SendCode).WithSummary("E-mail the holder a one-time code for signing without the passphrase (the holder must have turned this on).");
        v2.MapPost("/user/check/status", StatusV2).WithSummary("A holder's certificate status by nik or email.");
        v2.MapPost("/verify/pdf", VerifyV2).WithMetadata(new BodyLimit(pdfBytes * 2)).WithSummary("Verify a PDF given as base64.");
        v2.MapGet("/user/certificate/chain/{id}", Chain).WithSummary("The holder's certificate chain (id: NIK or e-mail), leaf first, PEM.");
        return app;
    }

    private static async Task<IResult> SignV1(HttpContext http, SegelOptions options, RemoteSigning signing, CancellationToken cancellationToken)
    {
        IFormCollection form = await ReadFormAsync(http, cancellationToken);
        IFormFile file = form.Files.GetFile("file") ?? throw SegelException.Invalid("file", Localized.Of("Error.FieldFilePdfSignMissing"));
        byte[] pdf = await BsreForms.ReadAsync(file, (long)options.Limits.PdfMegabytes * 1024 * 1024, "file", cancellationToken);
        SignaturePlacement? placement = null;
        if (BsreForms.Tampilan(form["tampilan"], "tampilan"))
        {
            bool imageOnly = BsreForms.Flag(form["image"]);
            IFormFile? picture = form.Files.GetFile("imageTTD");
            if (imageOnly && picture is null)
            {
                throw SegelException.Invalid("imageTTD", Localized.Of("Error.ImageTrueNeedsSignatureImage"));
            }
            placement = new SignaturePlacement
            {
                Page = BsreForms.Int(form, "page") ?? BsreForms.Int(form, "halaman") ?? 1,
                X = BsreForms.Number(form, "xAxis") ?? 360,
                Y = BsreForms.Number(form, "yAxis") ?? 72,
                Width = BsreForms.Number(form, "width") ?? 200,
                Height = BsreForms.Number(form, "height") ?? 70,
                Marker = BsreForms.Text(form, "tag_koordinat"),
                Image = picture is null ? null : await BsreForms.ReadAsync(picture, MaxImageBytes, "imageTTD", cancellationToken),
                QrUrl = BsreForms.Text(form, "linkQR"),
                Text = BsreForms.Text(form, "text"),
                ImageOnly = imageOnly,
            };
        }
        var request = new PdfSigningRequest
        {
            Nik = BsreForms.Text(form, "nik"),
            Email = BsreForms.Text(form, "email"),
            Passphrase = form["passphrase"].ToString(),
            Code = BsreForms.Text(form, "totp"),
            Documents = [new PdfToSign(pdf, file.FileName)],
            Placement = placement,
            Reason = BsreForms.Text(form, "reason"),
            Location = BsreForms.Text(form, "location"),
            ContactInfo = BsreForms.Text(form, "contactInfo"),
            Level = BsreForms.Level(BsreForms.Text(form, "level")),
        };
        IReadOnlyList<SignedDocument> signed = await signing.SignAsync(request, HttpCaller.Principal(http), HttpCaller.Origin(http), cancellationToken);
        http.Response.Headers["X-Segel-Signature-Id"] = signed[0].Id;
        http.Response.Headers["X-Segel-Verification-Url"] = signed[0].VerificationUrl;
        string name = Path.GetFileNameWithoutExtension(file.FileName) is { Length: > 0 } stem ? stem : "document";
        return Results.File(signed[0].Content, "application/pdf", name + "_signed.pdf");
    }

    private static async Task<IResult> SignV2(HttpContext http, RemoteSigning signing, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        SignV2Body body = await BsreForms.ReadJsonAsync<SignV2Body>(http, cancellationToken);
        List<string> files = body.File ?? [];
        List<SignatureProperty> properties = body.SignatureProperties ?? [];
        if (files.Count == 0)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FieldFileListBase64PDFs"));
        }
        if (properties.Count > 1 && properties.Count != files.Count)
        {
            throw SegelException.Invalid("signatureProperties", Localized.Of("Error.GiveSignaturePropertiesEntryAllFiles", files.Count));
        }
        var documents = new List<PdfToSign>();
        for (int i = 0; i < files.Count; i++)
        {
            SignatureProperty? property = properties.Count == 0 ? null : properties[properties.Count == 1 ? 0 : i];
            documents.Add(new PdfToSign(HttpCaller.FromBase64(files[i], "file"), null, Placement(property)));
        }
        SignatureProperty? first = properties.Count > 0 ? properties[0] : null;
        var request = new PdfSigningRequest
        {
            Nik = body.Nik,
            Email = body.Email,
            Passphrase = body.Passphrase,
            Code = body.Totp,
            Documents = documents,
            Reason = first?.Reason,
            Location = first?.Location,
            ContactInfo = first?.ContactInfo,
            Level = BsreForms.Level(body.Level),
        };
        IReadOnlyList<SignedDocument> signed = await signing.SignAsync(request, HttpCaller.Principal(http), HttpCaller.Origin(http), cancellationToken);
        return Results.Json(new
        {
            time = watch.ElapsedMilliseconds,
            file = signed.Select(s => Convert.ToBase64String(s.Content)).ToArray(),
            id = signed.Select(s => s.Id).ToArray(),
            verificationUrl = signed.Select(s => s.VerificationUrl).ToArray(),
        });
    }

    private static SignaturePlacement? Placement(SignatureProperty? property)
    {
        if (property is null || !BsreForms.Tampilan(property.Tampilan, "tampilan"))
        {
            return null;
        }
        byte[] image = HttpCaller.FromBase64(property.ImageBase64, "imageBase64");
        return new SignaturePlacement
        {
            Page = property.Page ?? 1,
            X = property.OriginX ?? 360,
            Y = property.OriginY ?? 72,
            Width = property.Width ?? 200,
            Height = property.Height ?? 70,
            Marker = string.IsNullOrEmpty(property.Tag) ? null : property.Tag,
            Image = image.Length > 0 ? image : null,
            QrUrl = string.IsNullOrEmpty(property.LinkQr) ? null : property.LinkQr,
            ImageOnly = image.Length > 0,
        };
    }

    private static async Task<IResult> SendCode(HttpContext http, OneTimeCodes codes, CancellationToken cancellationToken)
    {
        CodeBody body = await BsreForms.ReadJsonAsync<CodeBody>(http, cancellationToken);
        string to = await codes.SendAsync(body.Nik, body.Email, body.Data, HttpCaller.Principal(http), HttpCaller.Origin(http), cancellationToken);
        bool id = Catalog.IsIndonesian(Problems.LanguageOf(http));
        return Results.Json(new
        {
            status_code = 200,
            message = id ? $"Kode sekali pakai dikirim ke {to}; berlaku {OneTimeCodes.Lifetime.TotalMinutes:0} menit." : $"A one-time code was sent to {to}; valid for {OneTimeCodes.Lifetime.TotalMinutes:0} minutes.",
            sent_to = to,
            expires_in = (int)OneTimeCodes.Lifetime.TotalSeconds,
        });
    }

    private static Task<IResult> StatusV1(string nik, HttpContext http, HolderStatuses holderStatuses, CancellationToken cancellationToken) =>
        Status(nik, null, http, holderStatuses, cancellationToken);

    private static async Task<IResult> StatusV2(HttpContext http, HolderStatuses holderStatuses, CancellationToken cancellationToken)
    {
        CodeBody body = await BsreForms.ReadJsonAsync<CodeBody>(http, cancellationToken);
        return await Status(body.Nik, body.Email, http, holderStatuses, cancellationToken);
    }

    private static async Task<IResult> Status(string? nik, string? email, HttpContext http, HolderStatuses holderStatuses, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(nik) && string.IsNullOrWhiteSpace(email))
        {
            throw SegelException.Invalid("nik", Localized.Of("Error.GiveHolderNikEMail"));
        }
        HolderStatus status = await holderStatuses.FindAsync(nik, null, email, HttpCaller.Principal(http), cancellationToken);
        bool registered = status.Status != NationalStatus.NotRegistered;
        return Results.Json(new
        {
            status_code = registered ? 1111 : BsreErrors.NotRegistered,
            message = BsreText.Status(status.Status, Problems.LanguageOf(http)),
            status = status.Status,
        });
    }

    private static async Task<IResult> Chain(string id, HttpContext http, RemoteSigning signing, CancellationToken cancellationToken)
    {
        bool email = id.Contains('@', StringComparison.Ordinal);
        IReadOnlyList<X509Certificate2> chain = await signing.CertificateChainAsync(email ? null : id, email ? id : null, HttpCaller.Principal(http), cancellationToken);
        return Results.Json(new { status_code = 1111, message = "OK", data = chain.Select(c => c.ExportCertificatePem()).ToArray() });
    }

    private static async Task<IResult> VerifyV1(HttpContext http, SegelOptions options, DocumentVerification verification, RemoteSigning signing, CancellationToken cancellationToken)
    {
        IFormCollection form = await ReadFormAsync(http, cancellationToken);
        IFormFile file = form.Files.GetFile("signed_file") ?? form.Files.GetFile("file")
            ?? throw SegelException.Invalid("signed_file", Localized.Of("Error.FieldSignedFilePdfVerify"));
        if (file.Length > (long)options.Limits.PdfMegabytes * 1024 * 1024)
        {
            throw SegelException.Invalid("signed_file", Localized.Of("Error.FileSignedFileLargerMiB", options.Limits.PdfMegabytes));
        }
        await using Stream content = file.OpenReadStream();
        DocumentVerdict verdict = await verification.VerifyAsync(content, file.Length, BsreForms.Text(form, "password"), cancellationToken);
        return Results.Json(BsreVerifyReport.V1(file.FileName, verdict, Problems.LanguageOf(http), signing));
    }

    private static async Task<IResult> VerifyV2(HttpContext http, DocumentVerification verification, RemoteSigning signing, CancellationToken cancellationToken)
    {
        VerifyBody body = await BsreForms.ReadJsonAsync<VerifyBody>(http, cancellationToken);
        byte[] pdf = HttpCaller.FromBase64(body.File, "file");
        DocumentVerdict verdict = await verification.VerifyAsync(pdf, body.Password, cancellationToken);
        return Results.Json(BsreVerifyReport.V2(verdict, Problems.LanguageOf(http), signing));
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.SendMultipartFormDataPdf"));
        }
        return await Uploads.ReadFormAsync(http, cancellationToken);
    }

    private sealed record SignV2Body(string? Nik, string? Email, string? Passphrase, string? Totp, List<SignatureProperty>? SignatureProperties, List<string>? File,
        string? Level);

    private sealed record SignatureProperty(string? Tampilan, string? ImageBase64, int? Page, double? OriginX, double? OriginY, double? Width, double? Height,
        string? Location, string? Reason, string? ContactInfo, string? Tag, string? LinkQr);

    private sealed record CodeBody(string? Nik, string? Email, string? Data);

    private sealed record VerifyBody(string? File, string? Password);
}
