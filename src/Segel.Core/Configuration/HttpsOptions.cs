namespace Segel.Core.Configuration;

/// <summary>
/// Serving HTTPS itself (issue 25.3), when no reverse proxy does it: a certificate and key in PEM, used by every
/// <c>https://</c> address in <c>--urls</c>. With one, browsers are sent to HTTPS and told to stay (HSTS); relying
/// parties' plain-HTTP requests for OCSP, CRLs, CA certificates and time-stamps are answered where they are.
/// </summary>
public sealed class HttpsOptions
{
    /// <summary>PEM certificate (with its chain after it), a path from the data folder.</summary>
    public string? Certificate { get; set; }

    /// <summary>PEM private key of the certificate (PKCS#8 or the algorithm's own form, unencrypted), a path from the data folder; keep it 0600.</summary>
    public string? Key { get; set; }

    /// <summary>How long browsers keep to HTTPS once told (Strict-Transport-Security max-age), in days; 0 sends no HSTS.</summary>
    public int HstsDays { get; set; } = 365;
}
