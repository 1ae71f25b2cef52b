using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Validation;

/// <summary>
/// What a caIssuers URL serves (RFC 5280 §4.2.2.1): one DER certificate, or a "certs-only" CMS (.p7c) holding
/// several; PEM is tolerated. Anything unreadable is no certificate — path validation decides what they are worth.
/// </summary>
internal static class IssuerCertificates
{
    private const int MaxCertificates = 16;

    public static IReadOnlyList<X509Certificate2> Read(byte[] body)
    {
        try
        {
            return [.. new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificates(body)
                .Take(MaxCertificates)
                .Select(c => X509CertificateLoader.LoadCertificate(c.GetEncoded()))];
        }
#pragma warning disable CA1031 // the bytes come from anywhere; every parser failure means "no certificate here"
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return [];
        }
    }
}
