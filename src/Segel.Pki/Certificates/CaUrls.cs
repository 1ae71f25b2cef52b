namespace Segel.Pki.Certificates;

/// <summary>
/// The public URLs baked into every certificate. They are built from one configured base URL so that a
/// regency can move Segel behind its own domain before the first certificate is issued.
/// </summary>
public sealed class CaUrls
{
    private readonly string _base;
    private readonly string _plain;

    /// <param name="publicBaseUrl">Where people reach Segel (the portal, the CPS, links in mail).</param>
    /// <param name="relyingPartyBaseUrl">
    /// Where relying parties fetch OCSP, CRLs and CA certificates; by default the public base URL over plain HTTP when
    /// that is https on the default port.
    /// </param>
    public CaUrls(string publicBaseUrl, string? relyingPartyBaseUrl = null)
    {
        Uri uri = Absolute(publicBaseUrl, "public base URL", nameof(publicBaseUrl));
        _base = publicBaseUrl.TrimEnd('/');
        _plain = !string.IsNullOrWhiteSpace(relyingPartyBaseUrl)
            ? Absolute(relyingPartyBaseUrl, "relying parties' base URL", nameof(relyingPartyBaseUrl)).AbsoluteUri.TrimEnd('/')
            : uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort
                ? new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = -1 }.Uri.AbsoluteUri.TrimEnd('/')
                : _base;
    }

    public string BaseUrl => _base;

    /// <summary>The base of the URLs relying parties fetch (OCSP, CRLs, CA certificates).</summary>
    public string RelyingPartyBaseUrl => _plain;

    /// <summary>
    /// Plain HTTP, even when the portal is https: RFC 5019 clients fetch OCSP that way, RFC 5280 (4.2.1.13) names http
    /// and ldap for CRLs, and validators such as Windows' and Acrobat's do not fetch revocation data over https — where
    /// checking the server's certificate would itself need revocation data.
    /// </summary>
    public string Ocsp => $"{_plain}/ocsp";

    public string Crl(string issuerSlug) => $"{_plain}/crl/{issuerSlug}.crl";

    public string CaCertificate(string issuerSlug) => $"{_plain}/ca/{issuerSlug}.crt";

    public string Cps => $"{_base}/cps";

    private static Uri Absolute(string url, string what, string parameter) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"The {what} '{url}' must be an absolute http(s) URL.", parameter);
}
