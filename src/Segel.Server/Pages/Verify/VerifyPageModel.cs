using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Server.Api;
using Segel.Server.Portal;
using Segel.Texts;

namespace Segel.Server.Pages.Verify;

/// <summary>
/// The public verification page, no sign-in: <c>/verify/{id}</c> is what the QR code on a signed letter opens — who
/// signed, when, and whether the certificate still stands — and anyone can upload a PDF, an ASiC-E container or a detached signature (.p7s, with the file it signs) to check it, or to check that
/// the paper in their hand is the document that was signed. Bahasa Indonesia, English with ?lang=en (links in e-mails
/// and QR codes), else the portal's language cookie. Stricter than the portal: no script at all, never cached, no
/// referrer; open to anyone, so rate-limited per address and bounded to the configured PDF size before reading.
/// </summary>
[EnableRateLimiting(RateLimits.Anonymous)]
[IgnoreAntiforgeryToken] // no session to protect: the form only uploads a file to be checked and kept nowhere
public abstract class VerifyPageModel(SegelOptions options) : PageModel
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Indonesian unless ?lang=en asks otherwise (or, without ?lang, the portal's language choice).</summary>
    public bool Indonesian { get; private set; } = true;

    public CultureInfo Culture => Indonesian ? Problems.Indonesian : Problems.English;

    public string Code => Indonesian ? "id" : "en";

    public string Query => Indonesian ? "?lang=id" : "?lang=en";

    /// <summary>The path the page's form posts to and its language link points at.</summary>
    public abstract string Action { get; }

    public string Organization => options.Ca.Organization;

    /// <summary>The verdict on an uploaded file; null before one is checked.</summary>
    public DocumentVerdict? Verdict { get; private set; }

    /// <summary>For a record's page: whether the uploaded file is the one signed.</summary>
    public bool? SameFile { get; private set; }

    /// <summary>Why an upload could not be checked, in the page's language.</summary>
    public string? Error { get; private set; }

    public string T(string key) => UiText.Get(key, Culture);

    public string T(string key, params object[] arguments) => string.Format(Culture, UiText.Get(key, Culture), arguments);

    public static string When(DateTimeOffset at) => at.ToOffset(PortalFormat.Wita).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " WITA";

    public static string Hex(string base64) => Convert.ToHexStringLower(Convert.FromBase64String(base64));

    /// <summary>Language and headers, first thing in every handler (the portal's filter set its own headers before).</summary>
    protected void Prepare()
    {
        string? asked = Request.Query["lang"];
        Indonesian = asked is { Length: > 0 }
            ? !string.Equals(asked, "en", StringComparison.OrdinalIgnoreCase)
            : CultureInfo.CurrentUICulture.TwoLetterISOLanguageName != "en";
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
    }

    /// <summary>Reads the uploaded PDF (bounded before reading) and verifies it; <paramref name="expected"/> for a record's page.</summary>
    protected async Task<IActionResult> CheckAsync(DocumentVerification verification, PublicSignature? expected)
    {
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The document, and beside a detached signature (.p7s) the file it signs.
            limit.MaxRequestBodySize = (long)options.Limits.PdfMegabytes * 1024 * 1024 + DocumentVerification.MaxDetachedSignatureBytes + 64 * 1024;
        }
        try
        {
            IFormFileCollection? files = Request.HasFormContentType ? (await Uploads.ReadFormAsync(HttpContext, HttpContext.RequestAborted)).Files : null;
            IFormFile file = files?.GetFile("file") is { Length: > 0 } chosen ? chosen : throw SegelException.Invalid("file", Localized.Of("Error.ChoosePdfFileCheck"));
            await using Stream content = file.OpenReadStream();
            if (files.GetFile("signed") is { Length: > 0 } signed)
            {
                await using Stream signedContent = signed.OpenReadStream();
                Verdict = await verification.VerifyDetachedAsync(content, file.Length, signedContent, signed.Length, HttpContext.RequestAborted);
            }
            else
            {
                Verdict = await verification.VerifyAsync(content, file.Length, null, HttpContext.RequestAborted);
            }
            SameFile = expected is null ? null : Verdict.Sha256 == expected.SignedSha256;
        }
        catch (SegelException e)
        {
            Error = e.MessageIn(Culture);
            Response.StatusCode = ProblemMapping.StatusFor(e.Kind);
        }
        catch (BadHttpRequestException)
        {
            Error = T("Verify.Unreadable");
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }
}
