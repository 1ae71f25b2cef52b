using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Ocsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Segel.Pki.Validation;

/// <summary>OCSP requests (RFC 6960) and the CertID that matches a response to its certificate.</summary>
public static class OcspRequests
{
    /// <summary>A DER OCSPRequest for one certificate, without a nonce so that responders may answer from cache (RFC 5019).</summary>
    public static byte[] Create(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        var generator = new OcspReqGenerator();
        generator.AddRequest(CertificateId(certificate, issuer));
        return generator.Generate().GetEncoded();
    }

    internal static CertificateID CertificateId(X509Certificate2 certificate, X509Certificate2 issuer) =>
        new(CertificateID.DigestSha1, new BcCertificate(issuer.RawData), new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.ToArray()));
}
