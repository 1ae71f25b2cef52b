using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Server.Security;
using Segel.Texts;

namespace Segel.Server.Api;

/// <summary>Document encryption over HTTP (issue 23.3): the same core calls as the portal's <c>/enkripsi</c> and <c>/dekripsi</c>.</summary>
public static class EncryptionEndpoints
{
    public const string EncryptedType = "application/pkcs7-mime";

    public static IEndpointRouteBuilder MapEncryptionApi(this IEndpointRouteBuilder app, int megabytes)
    {
        long bytes = (long)megabytes * 1024 * 1024;
        app.MapPost("/api/v1/documents/encryption", Encrypt).RequireAuthorization(SegelPolicies.Api).RequireRateLimiting(RateLimits.Signing).WithTags("Encryption")
            .WithMetadata(new BodyLimit(bytes + 64 * 1024)).DisableAntiforgery().Produces(StatusCodes.Status200OK, contentType: EncryptedType)
            .WithSummary($"Encrypt a file (multipart: `file`) to colleagues' certificates (`recipient`: a serial from GET /api/v1/directory, repeated, at most {DocumentEnvelopes.MaxRecipients}) as CMS EnvelopedData (AES-256-CBC; RSA-OAEP or ECDH) — a .p7m that openssl cms -decrypt and mail clients open. Any signed-in person, or scope certificates:read.");
        app.MapPost("/api/v1/documents/encryption/mail", Send).RequireAuthorization(SegelPolicies.Api).RequireRateLimiting(RateLimits.Signing).WithTags("Encryption")
            .WithMetadata(new BodyLimit(DocumentEnvelopes.MaxMailMegabytes * 1024 * 1024 + 64 * 1024)).DisableAntiforgery().Produces(StatusCodes.Status202Accepted)
            .WithSummary($"Send a file (multipart: `file`, at most {DocumentEnvelopes.MaxMailMegabytes} MB) by e-mail to colleagues (`recipient` serials, repeated) as S/MIME, each message encrypted to its recipient's certificate; queued in the outbox (202, the recipients). Any signed-in person, or scope certificates:read.");
        app.MapPost("/api/v1/documents/decryption", Decrypt).RequireAuthorization(SegelPolicies.Api).RequireRateLimiting(RateLimits.Signing).WithTags("Encryption")
            .WithMetadata(new BodyLimit(bytes + 64 * 1024)).DisableAntiforgery().Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .WithSummary("Open an encrypted document (multipart: `file`, a .p7m addressed to me; `passphrase`) with the key Segel keeps for me — for any of my certificates whose key is still kept. A file not addressed to me costs no passphrase attempt; wrong passphrases lock the key as for signing. Holders only.");
        return app;
    }

    private static async Task<IResult> Encrypt(DocumentEnvelopes envelopes, HttpContext context, CancellationToken cancellationToken)
    {
        IFormCollection form = await Uploads.ReadFormAsync(context, cancellationToken);
        IFormFile file = OneFile(form);
        // The answer is held in memory once (the upload waits on disk, as ASP.NET buffers it): under twice the file, with no
        // copy of it at rest on this side.
        var output = new MemoryStream(checked((int)Math.Min(int.MaxValue, file.Length + 64 * 1024)));
        await using (Stream content = file.OpenReadStream())
        {
            await envelopes.EncryptAsync(HttpCaller.Principal(context), [.. form["recipient"].OfType<string>()], content, output, HttpCaller.Origin(context), cancellationToken);
        }
        output.Position = 0;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Stream(output, EncryptedType, Path.GetFileName(file.FileName) + ".p7m");
    }

    private static async Task<IResult> Send(DocumentEnvelopes envelopes, HttpContext context, CancellationToken cancellationToken)
    {
        IFormCollection form = await Uploads.ReadFormAsync(context, cancellationToken);
        IFormFile file = OneFile(form);
        if (file.Length > DocumentEnvelopes.MaxMailMegabytes * 1024 * 1024)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.MailDocumentTooLarge", DocumentEnvelopes.MaxMailMegabytes));
        }
        using var content = new MemoryStream((int)file.Length);
        await file.CopyToAsync(content, cancellationToken);
        IReadOnlyList<Core.Recipients.DirectoryCertificate> sent = await envelopes.SendAsync(HttpCaller.Principal(context), [.. form["recipient"].OfType<string>()],
            file.FileName, content.GetBuffer().AsMemory(0, (int)content.Length), HttpCaller.Origin(context), cancellationToken);
        return Results.Accepted(value: sent.Select(r => new { r.Serial, r.Name, r.Email }));
    }

    private static async Task<IResult> Decrypt(DocumentEnvelopes envelopes, HttpContext context, CancellationToken cancellationToken)
    {
        IFormCollection form = await Uploads.ReadFormAsync(context, cancellationToken);
        IFormFile file = OneFile(form);
        var output = new MemoryStream(checked((int)Math.Min(int.MaxValue, file.Length)));
        await using (Stream envelope = file.OpenReadStream())
        {
            await envelopes.DecryptAsync(HttpCaller.Principal(context), form["passphrase"].FirstOrDefault(), envelope, output, HttpCaller.Origin(context), cancellationToken);
        }
        context.Response.Headers.CacheControl = "no-store";
        // A message Segel sent by e-mail, saved by a holder whose key Segel keeps, opens to the document it carried.
        if (DocumentEnvelopes.SentAttachment(output.GetBuffer().AsSpan(0, (int)output.Length)) is { } attached)
        {
            return Results.File(attached.Content, "application/octet-stream", attached.Name);
        }
        output.Position = 0;
        return Results.Stream(output, "application/octet-stream", PlainName(file.FileName));
    }

    private static IFormFile OneFile(IFormCollection form) =>
        form.Files.Where(f => f.Name == "file" && f.Length > 0).ToList() is [IFormFile one]
            ? one
            : throw SegelException.Invalid("file", Localized.Of("Error.GiveOneFile"));

    /// <summary>"surat.pdf.p7m" opens as "surat.pdf"; a name without the suffix is kept.</summary>
    public static string PlainName(string? fileName)
    {
        string name = Path.GetFileName(fileName ?? "");
        return name.EndsWith(".p7m", StringComparison.OrdinalIgnoreCase) && name.Length > 4 ? name[..^4] : name.Length > 0 ? name : "dokumen";
    }
}
