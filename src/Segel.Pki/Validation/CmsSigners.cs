using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;

namespace Segel.Pki.Validation;

/// <summary>
/// Checks CMS signer infos and RFC 3161 tokens with .NET's hashes and signatures (see <see cref="Signatures"/>
/// for why), by the rules of RFC 5652 §5.4 and RFC 3161 §2.3; whatever .NET cannot check goes to BouncyCastle.
/// </summary>
public static class CmsSigners
{
    /// <summary>
    /// A signer info with signed attributes: the message-digest attribute equals the digest of the content
    /// <paramref name="writeContent"/> writes, a content-type attribute is there, and the signature over the DER
    /// of the signed attributes is the signer's.
    /// </summary>
    public static bool Verify(SignerInformation info, X509Certificate2 signer, Action<Stream> writeContent, Func<bool> bouncyCastle)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(writeContent);
        ArgumentNullException.ThrowIfNull(bouncyCastle);
        HashAlgorithmName? digest = Signatures.Digest(info.DigestAlgorithmID.Algorithm.Id);
        Org.BouncyCastle.Asn1.Cms.AttributeTable? attributes = info.SignedAttributes;
        if (digest is null || attributes is null)
        {
            return bouncyCastle();
        }
        if (attributes[CmsAttributes.MessageDigest]?.AttrValues[0] is not Asn1OctetString messageDigest || attributes[CmsAttributes.ContentType] is null)
        {
            return false;
        }
        using (var hash = IncrementalHash.CreateHash(digest.Value))
        {
            using (var sink = new HashingStream(hash))
            {
                writeContent(sink);
            }
            if (!CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), messageDigest.GetOctets()))
            {
                return false;
            }
        }
        return Signatures.Verify(signer, info.SignatureAlgorithm.Algorithm.Id, info.SignatureAlgorithm.Parameters?.GetEncoded(), info.GetEncodedSignedAttributes(), info.GetSignature(), digest)
            ?? bouncyCastle();
    }

    /// <summary>
    /// RFC 3161 §2.3 and RFC 5816: the token names <paramref name="tsa"/> in its signing-certificate(-v2)
    /// attribute, the TSA certificate is for time-stamping only (critical extended key usage) and valid at the
    /// token's time, and the token's signature is the TSA's.
    /// </summary>
    public static void ValidateTimeStamp(TimeStampToken token, X509Certificate2 tsa)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(tsa);
        CmsSignedData signed = token.ToCmsSignedData();
        SignerInformation info = signed.GetSignerInfos().GetSigners().FirstOrDefault() ?? throw new TspValidationException("the time-stamp has no signer");
        if (tsa.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is not { Critical: true } usage ||
            usage.EnhancedKeyUsages.Count != 1 || usage.EnhancedKeyUsages[0].Value != "1.3.6.1.5.5.7.3.8")
        {
            throw new TspValidationException("the TSA certificate is not for time-stamping only (critical extended key usage)");
        }
        DateTime at = token.TimeStampInfo.GenTime;
        if (at < tsa.NotBefore.ToUniversalTime() || at > tsa.NotAfter.ToUniversalTime())
        {
            throw new TspValidationException("the TSA certificate was not valid at the time-stamp's time");
        }
        if (!NamesCertificate(info.SignedAttributes, tsa))
        {
            throw new TspValidationException("the time-stamp's signing-certificate attribute names another certificate");
        }
        using var buffer = new MemoryStream();
        signed.SignedContent.Write(buffer);
        byte[] content = buffer.ToArray();
        var bc = new Org.BouncyCastle.X509.X509Certificate(tsa.RawData);
        if (!Verify(info, tsa, s => s.Write(content), () => info.Verify(bc)))
        {
            throw new TspValidationException("the time-stamp's signature does not verify");
        }
    }

    private static bool NamesCertificate(Org.BouncyCastle.Asn1.Cms.AttributeTable? attributes, X509Certificate2 certificate)
    {
        if (attributes?[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASigningCertificateV2]?.AttrValues[0] is { } v2)
        {
            var first = Org.BouncyCastle.Asn1.Ess.SigningCertificateV2.GetInstance(v2).GetCerts()[0];
            HashAlgorithmName hash = Signatures.Digest(first.HashAlgorithm.Algorithm.Id) ?? HashAlgorithmName.SHA256;
            return first.GetCertHash().AsSpan().SequenceEqual(certificate.GetCertHash(hash));
        }
        if (attributes?[Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.IdAASigningCertificate]?.AttrValues[0] is { } v1)
        {
            var first = Org.BouncyCastle.Asn1.Ess.SigningCertificate.GetInstance(v1).GetCerts()[0];
#pragma warning disable CA5350 // RFC 2634's ESSCertID is a SHA-1 hash by definition; it identifies, it does not protect
            return first.GetCertHash().AsSpan().SequenceEqual(SHA1.HashData(certificate.RawData));
#pragma warning restore CA5350
        }
        return false;
    }
}
