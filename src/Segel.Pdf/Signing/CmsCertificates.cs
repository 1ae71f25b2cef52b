using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Cms;

namespace Segel.Pdf.Signing;

/// <summary>The certificates a CMS signature carries, with those of its signature time-stamp.</summary>
internal static class CmsCertificates
{
    public static IEnumerable<X509Certificate2> All(byte[] cms)
    {
        var signed = new CmsSignedData(cms);
        foreach (Org.BouncyCastle.X509.X509Certificate certificate in signed.GetCertificates().EnumerateMatches(null))
        {
            yield return X509CertificateLoader.LoadCertificate(certificate.GetEncoded());
        }
        foreach (SignerInformation signer in signed.GetSignerInfos().GetSigners())
        {
            if (SignatureTimeStamps.Of(signer) is not { } token)
            {
                continue;
            }
            foreach (Org.BouncyCastle.X509.X509Certificate certificate in token.GetCertificates().EnumerateMatches(null))
            {
                yield return X509CertificateLoader.LoadCertificate(certificate.GetEncoded());
            }
        }
    }
}
