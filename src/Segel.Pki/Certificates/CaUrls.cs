namespace Segel.Pki.Certificates;

/// <summary>
/// The public URLs baked into every certificate. They are built from one configured base URL so that a
/// regency can move Segel behind its own domain before the first certificate is issued.
/// </summary>
public sealed class CaUrls
{
    private readonly string _base;

    public CaUrls(string publicBaseUrl)
    {
        if (!Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out Uri? uri) ||
            (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The public base URL '{publicBaseUrl}' must be an absolute http(s) URL.", nameof(publicBaseUrl));
        }
        _base = publicBaseUrl.TrimEnd('/');
    }

    public string BaseUrl => _base;

    /// <summary>RFC 5019 clients (and most browsers) fetch OCSP over plain HTTP; the URL follows the base URL's scheme.</summary>
    public string Ocsp => $"{_base}/ocsp";

    public string Crl(string issuerSlug) => $"{_base}/crl/{issuerSlug}.crl";

    public string CaCertificate(string issuerSlug) => $"{_base}/ca/{issuerSlug}.crt";

    public string Cps => $"{_base}/cps";
}
