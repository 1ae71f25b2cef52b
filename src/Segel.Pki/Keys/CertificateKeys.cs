using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Keys;

public static class CertificateKeys
{
    /// <summary>
    /// The private key a certificate carries, as .NET hands it out for its key usage: RSA, ECDSA, or for an EC certificate whose
    /// key usage is keyAgreement alone (a separate encryption certificate, issue 23.5) ECDH; null if it has none.
    /// </summary>
    public static AsymmetricAlgorithm? PrivateKeyOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetECDiffieHellmanPrivateKey();
    }
}
