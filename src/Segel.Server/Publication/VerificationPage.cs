using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Pdf.Verification;
using Segel.Server.Api;
using static Segel.Server.Publication.HtmlPage;

namespace Segel.Server.Publication;

/// <summary>
/// The public verification page, no sign-in: <c>/verify/{id}</c> is what the QR code on a signed letter opens —
/// who signed, when, and whether the certificate still stands — and anyone can upload a PDF to check it, or to
/// check that the paper in their hand is the document that was signed. Bahasa Indonesia, English with ?lang=en.
/// </summary>
public static class VerificationPage
{

    public static IEndpointRouteBuilder MapVerificationPage(this IEndpointRouteBuilder app, int pdfMegabytes)
    {
        long limit = (long)pdfMegabytes * 1024 * 1024 + 64 * 1024;
        app.MapGet("/verify", Form).ExcludeFromDescription().RequireRateLimiting(RateLimits.Anonymous);
        app.MapPost("/verify", Upload).ExcludeFromDescription().RequireRateLimiting(RateLimits.Anonymous).DisableAntiforgery().WithMetadata(new BodyLimit(limit));
        app.MapGet("/verify/{id}", Show).ExcludeFromDescription().RequireRateLimiting(RateLimits.Anonymous);
        app.MapPost("/verify/{id}", UploadFor).ExcludeFromDescription().RequireRateLimiting(RateLimits.Anonymous).DisableAntiforgery().WithMetadata(new BodyLimit(limit));
        return app;
    }

    private sealed record Lang(bool Id)
    {
        public string T(string indonesian, string english) => Id ? indonesian : english;

        public CultureInfo Culture => Id ? Problems.Indonesian : Problems.English;

        public string Code => Id ? "id" : "en";

        public string Query => Id ? "?lang=id" : "?lang=en";
    }

    /// <summary>?lang=en or ?lang=id when given (links in e-mails and QR codes), else the portal's language choice (its cookie), else Indonesian.</summary>
    private static Lang LanguageOf(HttpContext context)
    {
        string? asked = context.Request.Query["lang"];
        return new(asked is { Length: > 0 }
            ? !string.Equals(asked, "en", StringComparison.OrdinalIgnoreCase)
            : CultureInfo.CurrentUICulture.TwoLetterISOLanguageName != "en");
    }

    private static IResult Form(HttpContext context)
    {
        Lang l = LanguageOf(context);
        return Render(context, l.T("verifikasi", "verification"), Header(l, "/verify") + UploadForm(l, "/verify", null), 200, l.Code);
    }

    private static async Task<IResult> Show(string id, HttpContext context, SignatureRecords signatures, CancellationToken cancellationToken)
    {
        Lang l = LanguageOf(context);
        PublicSignature? signature = await signatures.FindPublicAsync(id, cancellationToken);
        if (signature is null)
        {
            return Render(context, l.T("tidak ditemukan", "not found"), Header(l, $"/verify/{E(id)}") +
                $"<p class=\"verdict invalid\" role=\"status\">{l.T("Tidak ada tanda tangan dengan kode ini di Segel. Periksa tautan atau kode QR-nya.", "Segel knows no signature with this code. Check the link or the QR code.")}</p>" +
                UploadForm(l, "/verify", null), 404, l.Code);
        }
        return Render(context, l.T("tanda tangan", "signature"), Header(l, $"/verify/{signature.Id}") + Facts(l, signature) + UploadForm(l, $"/verify/{signature.Id}", signature), 200, l.Code);
    }

    private static async Task<IResult> Upload(HttpContext context, DocumentVerification verification, CancellationToken cancellationToken) => await Check(context, verification, null, cancellationToken);

    private static async Task<IResult> UploadFor(string id, HttpContext context, SignatureRecords signatures, DocumentVerification verification, CancellationToken cancellationToken)
    {
        PublicSignature? signature = await signatures.FindPublicAsync(id, cancellationToken);
        return signature is null ? await Show(id, context, signatures, cancellationToken) : await Check(context, verification, signature, cancellationToken);
    }

    private static async Task<IResult> Check(HttpContext context, DocumentVerification verification, PublicSignature? expected, CancellationToken cancellationToken)
    {
        Lang l = LanguageOf(context);
        string action = expected is null ? "/verify" : $"/verify/{expected.Id}";
        try
        {
            IFormFile file = (context.Request.HasFormContentType ? (await Uploads.ReadFormAsync(context, cancellationToken)).Files.GetFile("file") : null)
                ?? throw SegelException.Invalid("file", $"Choose a PDF file to check.");
            await using Stream content = file.OpenReadStream();
            DocumentVerdict verdict = await verification.VerifyAsync(content, file.Length, null, cancellationToken);
            var body = new StringBuilder(Header(l, action));
            if (expected is not null)
            {
                bool same = verdict.Sha256 == expected.SignedSha256;
                body.Append(same
                    ? $"<p class=\"verdict valid\" role=\"status\">{l.T("Berkas ini persis dokumen yang ditandatangani dengan kode ini.", "This file is exactly the document signed under this code.")}</p>"
                    : $"<p class=\"verdict indeterminate\" role=\"status\">{l.T("Berkas ini bukan salinan persis dokumen yang ditandatangani dengan kode ini (mungkin ditandatangani lagi sesudahnya). Lihat hasil pemeriksaannya di bawah.", "This file is not an exact copy of the document signed under this code (it may have been signed again since). See the check below.")}</p>");
            }
            body.Append(Report(l, verdict));
            if (expected is not null)
            {
                body.Append(Facts(l, expected));
            }
            body.Append(UploadForm(l, action, expected));
            return Render(context, l.T("hasil verifikasi", "verification result"), body.ToString(), 200, l.Code);
        }
        catch (SegelException e)
        {
            string error = $"<p class=\"error\" role=\"alert\">{E(e.MessageIn(l.Culture))}</p>";
            return Render(context, l.T("verifikasi", "verification"), Header(l, action) + error + UploadForm(l, action, expected), ProblemMapping.StatusFor(e.Kind), l.Code);
        }
        catch (BadHttpRequestException)
        {
            string error = $"<p class=\"error\" role=\"alert\">{l.T("Berkas terlalu besar atau tidak dapat dibaca.", "The file is too large or cannot be read.")}</p>";
            return Render(context, l.T("verifikasi", "verification"), Header(l, action) + error + UploadForm(l, action, expected), 400, l.Code);
        }
    }

    private static string Header(Lang l, string path) =>
        $"<nav><a href=\"{path}{(l.Id ? "?lang=en" : "?lang=id")}\" lang=\"{(l.Id ? "en" : "id")}\">{(l.Id ? "English" : "Bahasa Indonesia")}</a></nav>" +
        $"<h1>{l.T("Verifikasi tanda tangan elektronik", "Electronic signature verification")}</h1>";

    private static string Facts(Lang l, PublicSignature s)
    {
        (string css, string text) = s.CertificateState switch
        {
            SignatureRecords.Revoked => ("invalid", l.T($"Sertifikat penanda tangan dicabut pada {When(s.RevokedAt!.Value)}{(s.RevokedAt > s.SignedAt ? ", setelah dokumen ini ditandatangani" : "")}.",
                $"The signer's certificate was revoked on {When(s.RevokedAt!.Value)}{(s.RevokedAt > s.SignedAt ? ", after this document was signed" : "")}.")),
            SignatureRecords.Expired => ("indeterminate", l.T($"Tanda tangan ini tercatat di Segel. Sertifikat penanda tangan sudah kedaluwarsa sejak {When(s.NotAfter)}; dokumen ditandatangani ketika sertifikat masih berlaku.",
                $"This signature is on Segel's record. The signer's certificate expired on {When(s.NotAfter)}; the document was signed while it was valid.")),
            _ => ("valid", l.T("Tanda tangan ini tercatat di Segel, dan sertifikat penanda tangan masih berlaku.", "This signature is on Segel's record, and the signer's certificate is still valid.")),
        };
        return $"""
            <p class="verdict {css}" role="status">{E(text)}</p>
            <dl>
            <dt>{l.T("Penanda tangan", "Signer")}</dt><dd>{E(s.SignerName)}</dd>
            <dt>{l.T("Jabatan", "Position")}</dt><dd>{E(s.Position ?? "-")}</dd>
            <dt>{l.T("Instansi", "Agency")}</dt><dd>{E(s.Agency)}</dd>
            <dt>{l.T("Waktu tanda tangan", "Signed at")}</dt><dd>{When(s.SignedAt)}</dd>
            <dt>{l.T("Tingkat PAdES", "PAdES level")}</dt><dd>{E(s.Level)}</dd>
            <dt>{l.T("Nomor seri sertifikat", "Certificate serial")}</dt><dd>{E(s.CertificateSerial)}</dd>
            <dt>{l.T("Masa berlaku sertifikat", "Certificate validity")}</dt><dd>{When(s.NotBefore)} – {When(s.NotAfter)}</dd>
            {(s.RevocationReason is { } reason ? $"<dt>{l.T("Alasan pencabutan", "Revocation reason")}</dt><dd>{E(reason)}</dd>" : "")}
            <dt>SHA-256</dt><dd><code>{E(s.SignedSha256)}</code> ({s.SignedLength.ToString("N0", l.Culture)} {l.T("bita", "bytes")})</dd>
            </dl>
            """;
    }

    private static string Report(Lang l, DocumentVerdict verdict)
    {
        var html = new StringBuilder();
        if (verdict.Reports.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict indeterminate\" role=\"status\">{l.T("Berkas ini tidak memuat tanda tangan elektronik.", "This file holds no electronic signature.")}</p>");
            return html.ToString();
        }
        string css = verdict.Conclusion switch { SignatureConclusion.Valid => "valid", SignatureConclusion.Invalid => "invalid", _ => "indeterminate" };
        string summary = verdict.Conclusion switch
        {
            SignatureConclusion.Valid => l.T("Semua tanda tangan pada berkas ini sah, dan isinya tidak diubah sejak ditandatangani.", "Every signature in this file is valid, and its content has not changed since signing."),
            SignatureConclusion.Invalid => l.T("Ada tanda tangan yang TIDAK SAH, atau berkas diubah setelah ditandatangani. Jangan percayai isinya.", "A signature is NOT VALID, or the file was changed after signing. Do not trust its content."),
            _ => l.T("Keabsahan tanda tangan belum dapat dipastikan (misalnya penerbit sertifikatnya bukan Segel).", "The signatures' validity cannot be established (for example, their certificates are not from Segel)."),
        };
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict {css}\" role=\"status\">{E(summary)}</p>");
        if (verdict.SignatureId is { } id)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/verify/{id}{l.Query}\">{l.T("Catatan tanda tangan ini di Segel", "This signature's record in Segel")}</a></p>");
        }
        for (int i = 0; i < verdict.Reports.Count; i++)
        {
            SignatureReport r = verdict.Reports[i];
            string kind = r.Kind == "timestamp" ? l.T("Cap waktu dokumen", "Document time-stamp") : l.T("Tanda tangan", "Signature");
            html.Append(CultureInfo.InvariantCulture, $"<h2>{kind} {i + 1}: {E(ReportText.Verdict(r.Conclusion, l.Culture))}</h2><dl>");
            html.Append(CultureInfo.InvariantCulture, $"<dt>{l.T("Oleh", "By")}</dt><dd>{E(Bsre.BsreVerifyReport.CommonName(r.Signer) ?? "?")}</dd>");
            if ((r.TimeStamp ?? r.ClaimedSigningTime) is { } at)
            {
                html.Append(CultureInfo.InvariantCulture, $"<dt>{l.T("Waktu", "Time")}</dt><dd>{When(at)}{(r.TimeStamp is null ? l.T(" (menurut penanda tangan)", " (as claimed by the signer)") : l.T(" (cap waktu tepercaya)", " (trusted time-stamp)"))}</dd>");
            }
            if (r.Reason is { Length: > 0 } reason)
            {
                html.Append(CultureInfo.InvariantCulture, $"<dt>{l.T("Alasan", "Reason")}</dt><dd>{E(reason)}</dd>");
            }
            html.Append("</dl><ul>");
            foreach (string finding in r.Findings)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(ReportText.Finding(finding, l.Culture))}</li>");
            }
            html.Append("</ul>");
        }
        return html.ToString();
    }

    private static string UploadForm(Lang l, string action, PublicSignature? expected) => $"""
        <h2>{(expected is null ? l.T("Periksa dokumen PDF", "Check a PDF document") : l.T("Cocokkan dokumen Anda", "Match your document"))}</h2>
        <form method="post" action="{action}{l.Query}" enctype="multipart/form-data">
        <p><label for="file">{l.T("Berkas PDF yang ditandatangani", "The signed PDF file")}</label><br><input id="file" name="file" type="file" accept="application/pdf,.pdf" required></p>
        <p><button type="submit">{l.T("Periksa", "Check")}</button></p>
        </form>
        <p><small>{l.T("Berkas hanya diperiksa, tidak disimpan.", "The file is only checked, not kept.")}</small></p>
        """;

    private static string When(DateTimeOffset at) => at.ToOffset(Portal.PortalFormat.Wita).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " WITA";
}
