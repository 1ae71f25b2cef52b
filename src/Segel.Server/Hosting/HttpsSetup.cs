using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Segel.Core.Configuration;
using Segel.Core.Errors;

namespace Segel.Server.Hosting;

/// <summary>
/// HTTPS served by Segel itself (issue 25.3): Kestrel's certificate from <see cref="HttpsOptions"/>, and for browsers a
/// redirect from HTTP and HSTS. What relying parties fetch by the addresses written into certificates — OCSP, CRLs,
/// CA certificates, time-stamps, the transparency log — stays answerable over plain HTTP: RFC 5280 and RFC 6960 fetch
/// them without TLS (a TLS check needing the very status it fetches would go round in circles), and many clients do
/// not follow a redirect.
/// </summary>
public static class HttpsSetup
{
    /// <summary>The configured certificate with its key; null when none is configured. Refused, one line, when unusable or when an https address has none.</summary>
    public static X509Certificate2? Load(HttpsOptions options, string folder, IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool wanted = urls.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (string.IsNullOrWhiteSpace(options.Certificate) && string.IsNullOrWhiteSpace(options.Key))
        {
            return wanted
                ? throw new SegelException(ErrorKind.Invalid, $"An https:// address needs Https:Certificate and Https:Key (PEM files), or a reverse proxy in front serving TLS.", "Https:Certificate")
                : null;
        }
        string certificate = Path.IsPathRooted(options.Certificate ?? "") ? options.Certificate! : Path.Combine(folder, options.Certificate ?? "");
        string key = Path.IsPathRooted(options.Key ?? "") ? options.Key! : Path.Combine(folder, options.Key ?? "");
        if (!File.Exists(certificate) || !File.Exists(key))
        {
            throw new SegelException(ErrorKind.Invalid, $"Https:Certificate and Https:Key must both name PEM files; {(File.Exists(certificate) ? key : certificate)} does not exist.", "Https:Certificate");
        }
        try
        {
            using X509Certificate2 loaded = X509Certificate2.CreateFromPemFile(certificate, key);
            // Exported and loaded again: on Linux a key attached from PEM is ephemeral, which SslStream does not take.
            return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new SegelException(ErrorKind.Invalid, $"The HTTPS certificate and key cannot be used together: {e.Message}", "Https:Key");
        }
    }

    /// <summary>Browsers' plain-HTTP requests go to HTTPS (GET and HEAD, with a permanent redirect), and HTTPS answers carry HSTS.</summary>
    public static WebApplication UseSegelHttps(this WebApplication app, HttpsOptions options, int httpsPort)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        string hsts = $"max-age={(long)TimeSpan.FromDays(Math.Max(0, options.HstsDays)).TotalSeconds}";
        app.Use(async (context, next) =>
        {
            HttpRequest request = context.Request;
            if (request.IsHttps)
            {
                if (options.HstsDays > 0)
                {
                    context.Response.Headers.StrictTransportSecurity = hsts;
                }
            }
            else if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !RelyingPartyPaths.Contains(request.Path))
            {
                var target = new UriBuilder(Uri.UriSchemeHttps, request.Host.Host, httpsPort == 443 ? -1 : httpsPort)
                {
                    Path = request.PathBase.Add(request.Path).ToUriComponent(),
                    Query = request.QueryString.ToUriComponent().TrimStart('?'),
                };
                context.Response.Redirect(target.Uri.AbsoluteUri, permanent: true, preserveMethod: true);
                return;
            }
            await next(context);
        });
        return app;
    }
}
