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
            Org.BouncyCastle.Asn1.Cms.Attribute? stamp = signer.UnsignedAttributes?[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASignatureTimeStampToken];
            if (stamp is null)
            {
                continue;
            }
            var token = new CmsSignedData(Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(stamp.AttrValues[0]));
            foreach (Org.BouncyCastle.X509.X509Certificate certificate in token.GetCertificates().EnumerateMatches(null))
            {
                yield return X509CertificateLoader.LoadCertificate(certificate.GetEncoded());
            }
        }
    }
}
