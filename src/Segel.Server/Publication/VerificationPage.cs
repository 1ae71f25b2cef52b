using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Core.Supervision;
using Segel.Pdf.Verification;
using Segel.Server.Api;
using static Segel.Server.Publication.HtmlPage;
using Segel.Pki.Validation;
using Segel.Server.Portal;

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
        /// <summary>The page's words from the server's resource set (<c>Verify.*</c>), in the language of its URL.</summary>
        public string T(string key) => UiText.Get(key, Culture);

        public string T(string key, string argument) => string.Format(Culture, UiText.Get(key, Culture), argument);

        public string T(string key, params object[] arguments) => string.Format(Culture, UiText.Get(key, Culture), arguments);

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
        return Render(context, l.T("Verify.Title.Verification"), Header(l, "/verify") + UploadForm(l, "/verify", null), 200, l.Code);
    }

    private static async Task<IResult> Show(string id, HttpContext context, SignatureRecords signatures, TransparencyLog log, CancellationToken cancellationToken)
    {
        Lang l = LanguageOf(context);
        PublicSignature? signature = await signatures.FindPublicAsync(id, cancellationToken);
        if (signature is null)
        {
            return Render(context, l.T("Verify.Title.NotFound"), Header(l, $"/verify/{E(id)}") +
                $"<p class=\"verdict invalid\" role=\"status\">{l.T("Verify.UnknownCode")}</p>" +
                UploadForm(l, "/verify", null), 404, l.Code);
        }
        InclusionProof? inclusion = await log.InclusionOfAsync("signature:" + signature.Id, cancellationToken);
        // Pasal 16(2)e: a member of the public who doubts a signature can complain about it from here, the signature named.
        string complain = $"<p><a href=\"/pengaduan?perihal=signature&amp;ref={E(signature.Id)}\">{l.T("ReportProblem")}</a></p>";
        return Render(context, l.T("Verify.Title.Signature"), Header(l, $"/verify/{signature.Id}") + Facts(l, signature) + InLog(l, inclusion) +
            UploadForm(l, $"/verify/{signature.Id}", signature) + complain, 200, l.Code);
    }

    /// <summary>Where the signature stands in the public transparency log: its leaf, the signed head covering it, and the audit path between them.</summary>
    private static string InLog(Lang l, InclusionProof? proof)
    {
        if (proof?.TreeHead is not { } head)
        {
            return $"<h2>{l.T("Verify.Log.Title")}</h2><p>{l.T("Verify.Log.Pending")}</p>";
        }
        string path = string.Join("<br>", proof.AuditPath.Select(p => $"<code>{E(Hex(p))}</code>"));
        return $"""
            <h2>{l.T("Verify.Log.Title")}</h2>
            <p>{E(l.T("Verify.Log.Included", proof.LeafIndex.ToString("N0", l.Culture), head.TreeSize.ToString("N0", l.Culture), When(head.Timestamp)))}</p>
            <dl>
            <dt>{l.T("Verify.Log.LeafHash")}</dt><dd><code>{E(Hex(proof.LeafHash))}</code></dd>
            <dt>{l.T("Verify.Log.Root")}</dt><dd><code>{E(Hex(head.RootHash))}</code></dd>
            <dt>{l.T("Verify.Log.Path")}</dt><dd>{(path.Length == 0 ? "-" : path)}</dd>
            </dl>
            <p><a href="/log/proof/inclusion?index={proof.LeafIndex}&amp;size={head.TreeSize}">{l.T("Verify.Log.ProofLink")}</a> · <a href="/log/sth">{l.T("Verify.Log.HeadLink")}</a></p>
            """;
    }

    private static string Hex(string base64) => Convert.ToHexStringLower(Convert.FromBase64String(base64));

    private static async Task<IResult> Upload(HttpContext context, DocumentVerification verification, CancellationToken cancellationToken) => await Check(context, verification, null, cancellationToken);

    private static async Task<IResult> UploadFor(string id, HttpContext context, SignatureRecords signatures, DocumentVerification verification, TransparencyLog log,
        CancellationToken cancellationToken)
    {
        PublicSignature? signature = await signatures.FindPublicAsync(id, cancellationToken);
        return signature is null ? await Show(id, context, signatures, log, cancellationToken) : await Check(context, verification, signature, cancellationToken);
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
                    ? $"<p class=\"verdict valid\" role=\"status\">{l.T("Verify.SameFile")}</p>"
                    : $"<p class=\"verdict indeterminate\" role=\"status\">{l.T("Verify.DifferentFile")}</p>");
            }
            body.Append(Report(l, verdict));
            if (expected is not null)
            {
                body.Append(Facts(l, expected));
            }
            body.Append(UploadForm(l, action, expected));
            return Render(context, l.T("Verify.Title.Result"), body.ToString(), 200, l.Code);
        }
        catch (SegelException e)
        {
            string error = $"<p class=\"error\" role=\"alert\">{E(e.MessageIn(l.Culture))}</p>";
            return Render(context, l.T("Verify.Title.Verification"), Header(l, action) + error + UploadForm(l, action, expected), ProblemMapping.StatusFor(e.Kind), l.Code);
        }
        catch (BadHttpRequestException)
        {
            string error = $"<p class=\"error\" role=\"alert\">{l.T("Verify.Unreadable")}</p>";
            return Render(context, l.T("Verify.Title.Verification"), Header(l, action) + error + UploadForm(l, action, expected), 400, l.Code);
        }
    }

    private static string Header(Lang l, string path) =>
        $"<nav><a href=\"{path}{(l.Id ? "?lang=en" : "?lang=id")}\" lang=\"{(l.Id ? "en" : "id")}\">{(l.Id ? "English" : "Bahasa Indonesia")}</a></nav>" +
        $"<h1>{l.T("Verify.ElectronicSignatureVerification")}</h1>";

    private static string Facts(Lang l, PublicSignature s)
    {
        (string css, string text) = s.CertificateState switch
        {
            SignatureRecords.Revoked => ("invalid", l.T(s.RevokedAt > s.SignedAt ? "Verify.RevokedAfterSigning" : "Verify.RevokedOn", When(s.RevokedAt!.Value))),
            SignatureRecords.Expired => ("indeterminate", l.T("Verify.ExpiredSince", When(s.NotAfter))),
            _ => ("valid", l.T("Verify.OnRecord")),
        };
        // First the one line a member of the public needs (who, for which agency, when, and whether it stands), then the rest folded.
        string who = s.Position is { Length: > 0 } position ? $"{s.SignerName} ({position})" : s.SignerName;
        return $"""
            <p class="verdict {css} plain" role="status" data-plain-verdict>{E(l.T("Verify.Plain.Record", who, s.Agency, When(s.SignedAt)))} {E(text)}</p>
            <details class="technical">
            <summary>{l.T("Verify.TechnicalDetails")}</summary>
            <dl>
            <dt>{l.T("Verify.Signer")}</dt><dd>{E(s.SignerName)}</dd>
            <dt>{l.T("Verify.Position")}</dt><dd>{E(s.Position ?? "-")}</dd>
            <dt>{l.T("Verify.Agency")}</dt><dd>{E(s.Agency)}</dd>
            <dt>{l.T("Verify.SignedAt")}</dt><dd>{When(s.SignedAt)}</dd>
            <dt>{l.T("Verify.PAdESLevel")}</dt><dd>{E(s.Level)}</dd>
            <dt>{l.T("Verify.CertificateSerial")}</dt><dd>{E(s.CertificateSerial)}</dd>
            <dt>{l.T("Verify.CertificateValidity")}</dt><dd>{When(s.NotBefore)} – {When(s.NotAfter)}</dd>
            {(s.RevocationReason is { } reason ? $"<dt>{l.T("Verify.RevocationReason")}</dt><dd>{E(reason)}</dd>" : "")}
            <dt>SHA-256</dt><dd><code>{E(s.SignedSha256)}</code> ({s.SignedLength.ToString("N0", l.Culture)} {l.T("Verify.Bytes")})</dd>
            </dl>
            </details>
            """;
    }

    private static string Report(Lang l, DocumentVerdict verdict)
    {
        var html = new StringBuilder();
        if (verdict.Reports.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict indeterminate\" role=\"status\">{l.T("Verify.Verdict.NoSignature")}</p>");
            return html.ToString();
        }
        string css = verdict.Conclusion switch { SignatureConclusion.Valid => "valid", SignatureConclusion.Invalid => "invalid", _ => "indeterminate" };
        string summary = verdict.Conclusion switch
        {
            SignatureConclusion.Valid => l.T("Verify.Verdict.Valid"),
            SignatureConclusion.Invalid => l.T("Verify.Verdict.Invalid"),
            _ => l.T("Verify.Verdict.Indeterminate"),
        };
        // The verdict in a sentence per signature — who, for which agency, when — before any technical word.
        var plain = new StringBuilder(E(summary));
        foreach (SignatureReport signer in verdict.Reports.Where(r => r.Kind != "timestamp" && r.Conclusion == SignatureConclusion.Valid))
        {
            string name = Bsre.BsreVerifyReport.CommonName(signer.Signer) ?? "?";
            string who = Bsre.BsreVerifyReport.Attribute(signer.Signer, "OU") is { } unit ? $"{name}, {unit}" : name;
            plain.Append(' ').Append(E((signer.TimeStamp ?? signer.ClaimedSigningTime) is { } when
                ? l.T("Verify.Plain.SignedBy", who, When(when)) : l.T("Verify.Plain.SignedByUndated", who)));
        }
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"verdict {css} plain\" role=\"status\" data-plain-verdict>{plain}</p>");
        if (verdict.SignatureId is { } id)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/verify/{id}{l.Query}\">{l.T("Verify.RecordLink")}</a></p>");
        }
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"technical\"><summary>{l.T("Verify.TechnicalDetails")}</summary>");
        for (int i = 0; i < verdict.Reports.Count; i++)
        {
            SignatureReport r = verdict.Reports[i];
            string kind = r.Kind == "timestamp" ? l.T("Verify.DocumentTimeStamp") : l.T("Verify.Signature");
            html.Append(CultureInfo.InvariantCulture, $"<h2>{kind} {i + 1}: {E(ReportText.Verdict(r.Conclusion, l.Culture))}</h2><dl>");
            html.Append(CultureInfo.InvariantCulture, $"<dt>{l.T("Verify.By")}</dt><dd>{E(Bsre.BsreVerifyReport.CommonName(r.Signer) ?? "?")}</dd>");
            if ((r.TimeStamp ?? r.ClaimedSigningTime) is { } at)
            {
                html.Append(CultureInfo.InvariantCulture, $"<dt>{l.T("Verify.Time")}</dt><dd>{When(at)}{(r.TimeStamp is null ? l.T("Verify.AsClaimedByTheSigner") : l.T("Verify.TrustedTimeStamp"))}</dd>");
            }
            if (r.Reason is { Length: > 0 } reason)
            {
                html.Append(CultureInfo.InvariantCulture, $"<dt>{l.T("Verify.Reason")}</dt><dd>{E(reason)}</dd>");
            }
            html.Append("</dl><ul>");
            foreach (Finding finding in r.Findings)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(ReportText.Finding(finding, l.Culture))}</li>");
            }
            html.Append("</ul>");
        }
        html.Append("</details>");
        return html.ToString();
    }

    private static string UploadForm(Lang l, string action, PublicSignature? expected) => $"""
        <h2>{(expected is null ? l.T("Verify.CheckAPDFDocument") : l.T("Verify.MatchYourDocument"))}</h2>
        <form method="post" action="{action}{l.Query}" enctype="multipart/form-data" class="form verify-upload">
        <div class="field drop"><label for="file">{l.T("Verify.FileLabel")}</label><input id="file" name="file" type="file" accept="application/pdf,.pdf" required></div>
        <p><button type="submit" class="button">{l.T("Verify.Check")}</button></p>
        </form>
        <p><small>{l.T("Verify.NotKept")}</small></p>
        """;

    private static string When(DateTimeOffset at) => at.ToOffset(Portal.PortalFormat.Wita).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " WITA";
}
