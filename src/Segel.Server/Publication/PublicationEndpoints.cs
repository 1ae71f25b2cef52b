using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Segel.Core.Ca;
using Segel.Core.Storage;
using Segel.Pki;

namespace Segel.Server.Publication;

/// <summary>What relying parties fetch without signing in: CRLs and CA certificates (RFC 5280 §4.2.1.13, §4.2.2.1).</summary>
public static class PublicationEndpoints
{
    public static IEndpointRouteBuilder MapPublication(this IEndpointRouteBuilder app)
    {
        app.MapGet("/crl/{file}", GetCrl).WithSummary("The current full CRL of an issuer, DER (application/pkix-crl).").WithTags("Publication");
        app.MapGet("/cps", GetCps).WithSummary("The certificate policy and practice statement that every certificate points to.").WithTags("Publication");
        app.MapGet("/ca/{file}", GetCaCertificate).WithSummary("A CA certificate, DER (.crt) or PEM (.pem); chain.pem is issuing CA then root.").WithTags("Publication");
        return app;
    }

    private static async Task<IResult> GetCrl(string file, Authorities authorities, CrlPublisher crls, HttpContext context)
    {
        if (!file.EndsWith(".crl", StringComparison.OrdinalIgnoreCase))
        {
            return Results.NotFound();
        }
        LoadedAuthority? issuer = await authorities.FindBySlugAsync(file[..^4], context.RequestAborted);
        // An outside root's CRL is its own to publish, at the address in its certificates.
        if (issuer is null || issuer.Role is not (AuthorityRole.RootCa or AuthorityRole.IssuingCa) || !issuer.HasKey)
        {
            return Results.Problem(statusCode: 404, title: "No such CRL", detail: $"There is no issuer named '{file[..^4]}'.");
        }
        CrlView? crl = await crls.GetLatestAsync(issuer.Id, context.RequestAborted)
            ?? await crls.PublishAsync(issuer, cancellationToken: context.RequestAborted);
        // The CRL number names the CRL (RFC 5280 §5.2.3): a relying party that has it gets 304 instead of the whole list again.
        string tag = $"\"{issuer.Slug}-{crl.Number}\"";
        context.Response.Headers.ETag = tag;
        context.Response.Headers.LastModified = crl.ThisUpdate.ToString("R", CultureInfo.InvariantCulture);
        context.Response.Headers.Expires = crl.NextUpdate.ToString("R", CultureInfo.InvariantCulture);
        // Short: a new revocation must reach clients that re-fetch, whatever nextUpdate says.
        context.Response.Headers.CacheControl = "public, max-age=60";
        if (NotModified(context.Request, tag, crl.ThisUpdate))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(crl.Der, "application/pkix-crl", $"{issuer.Slug}.crl");
    }

    /// <summary>RFC 9110 §13.1: If-None-Match decides when present (the tag or *); else If-Modified-Since, to the second.</summary>
    private static bool NotModified(HttpRequest request, string tag, DateTimeOffset thisUpdate)
    {
        string? match = request.Headers.IfNoneMatch;
        if (!string.IsNullOrEmpty(match))
        {
            return match.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == tag || t == "W/" + tag);
        }
        return DateTimeOffset.TryParseExact(request.Headers.IfModifiedSince.ToString(), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset since)
            && thisUpdate.ToWholeSeconds() <= since;
    }

    /// <summary>
    /// The regency's own CP/CPS when it has put one in the data folder (<c>cps.html</c>); otherwise Segel's
    /// built-in summary, filled in from the configuration. Certificates point here, so it must never 404.
    /// </summary>
    private static async Task<IResult> GetCps(CaSettings settings, Microsoft.AspNetCore.Hosting.IWebHostEnvironment environment, CancellationToken cancellationToken)
    {
        string own = Path.Combine(environment.ContentRootPath, "cps.html");
        string html;
        if (File.Exists(own))
        {
            html = await File.ReadAllTextAsync(own, cancellationToken);
        }
        else
        {
            await using Stream template = typeof(PublicationEndpoints).Assembly.GetManifestResourceStream("Segel.Server.cps.default.html")!;
            using var reader = new StreamReader(template);
            html = (await reader.ReadToEndAsync(cancellationToken))
                .Replace("{{Organization}}", System.Net.WebUtility.HtmlEncode(settings.Organization), StringComparison.Ordinal)
                .Replace("{{PolicyOid}}", settings.Policy.PolicyOid, StringComparison.Ordinal)
                .Replace("{{BaseUrl}}", System.Net.WebUtility.HtmlEncode(settings.Urls.BaseUrl), StringComparison.Ordinal);
        }
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> GetCaCertificate(string file, Authorities authorities, HttpContext context)
    {
        if (string.Equals(file, "chain.pem", StringComparison.OrdinalIgnoreCase))
        {
            IReadOnlyList<X509Certificate2> chain = await authorities.ChainAsync(context.RequestAborted);
            return Results.Text(string.Concat(chain.Select(c => c.ExportCertificatePem() + "\n")), "application/pem-certificate-chain", Encoding.ASCII);
        }
        string extension = Path.GetExtension(file).ToUpperInvariant();
        if (extension is not (".CRT" or ".CER" or ".PEM"))
        {
            return Results.NotFound();
        }
        LoadedAuthority? authority = await authorities.FindBySlugAsync(Path.GetFileNameWithoutExtension(file), context.RequestAborted);
        if (authority is null)
        {
            return Results.Problem(statusCode: 404, title: "No such certificate", detail: $"There is no CA certificate named '{file}'.");
        }
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return extension == ".PEM"
            ? Results.Text(authority.Certificate.ExportCertificatePem() + "\n", "application/x-pem-file", Encoding.ASCII)
            : Results.Bytes(authority.CertificateDer, "application/pkix-cert", file);
    }
}
