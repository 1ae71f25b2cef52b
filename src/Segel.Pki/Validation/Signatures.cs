using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Validation;

/// <summary>
/// Checks a signature with .NET's RSA and ECDSA (OpenSSL underneath) for the algorithm identifiers X.509, CRLs,
/// OCSP and CMS use. BouncyCastle can check the same, but it rebuilds elliptic-curve tables for every key it
/// parses — 50 to 150 ms per signature — where .NET takes well under one. Null means "not an algorithm
/// handled here" (SHA-1, DSA, EdDSA): the caller then falls back to BouncyCastle.
/// </summary>
public static class Signatures
{
    public static bool? Verify(X509Certificate2 signer, string algorithmOid, byte[]? parameters, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature,
        HashAlgorithmName? digest = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        try
        {
            switch (algorithmOid)
            {
                case "1.2.840.113549.1.1.11" or "1.2.840.113549.1.1.12" or "1.2.840.113549.1.1.13":
                case "1.2.840.113549.1.1.1" when digest is { } d && IsSha2(d):
                    using (RSA? rsa = signer.GetRSAPublicKey())
                    {
                        return rsa?.VerifyData(data, signature, digest ?? NamedDigest(algorithmOid), RSASignaturePadding.Pkcs1) ?? false;
                    }
                case "1.2.840.113549.1.1.10":
                    HashAlgorithmName? pss = PssDigest(parameters);
                    if (pss is null)
                    {
                        return null;
                    }
                    using (RSA? rsa = signer.GetRSAPublicKey())
                    {
                        return rsa?.VerifyData(data, signature, pss.Value, RSASignaturePadding.Pss) ?? false;
                    }
                case "1.2.840.10045.4.3.2" or "1.2.840.10045.4.3.3" or "1.2.840.10045.4.3.4":
                case "1.2.840.10045.2.1" when digest is { } e && IsSha2(e):
                    using (ECDsa? ecdsa = signer.GetECDsaPublicKey())
                    {
                        return ecdsa?.VerifyData(data, signature, digest ?? NamedDigest(algorithmOid), DSASignatureFormat.Rfc3279DerSequence) ?? false;
                    }
                default:
                    return null;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="certificate"/> carries a valid signature by <paramref name="issuer"/>'s key (.NET, BouncyCastle for the rest).</summary>
    public static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        var parsed = new Org.BouncyCastle.X509.X509Certificate(certificate.RawData);
        return Verify(issuer, parsed.SigAlgOid, parsed.GetSigAlgParams(), parsed.GetTbsCertificate(), parsed.GetSignature())
            ?? parsed.IsSignatureValid(new Org.BouncyCastle.X509.X509Certificate(issuer.RawData).GetPublicKey());
    }

    /// <summary>The SHA-2 digest named by a digest algorithm OID, or null.</summary>
    public static HashAlgorithmName? Digest(string oid) =>
        DigestName(oid) is var name && name is "SHA256" or "SHA384" or "SHA512" ? new HashAlgorithmName(name) : null;

    /// <summary>The digest name of a signature algorithm OID that names one (sha1WithRSAEncryption, ecdsa-with-SHA256, …), else null.</summary>
    public static string? SignatureDigest(string signatureAlgorithmOid) => signatureAlgorithmOid switch
    {
        "1.2.840.113549.1.1.4" => "MD5",
        "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" or "1.2.840.10040.4.3" or "1.3.14.3.2.29" => "SHA1",
        "1.2.840.113549.1.1.14" or "1.2.840.10045.4.3.1" or "2.16.840.1.101.3.4.3.1" => "SHA224",
        "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" or "2.16.840.1.101.3.4.3.2" => "SHA256",
        "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => "SHA384",
        "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => "SHA512",
        _ => null,
    };

    /// <summary>The digest name of a digest algorithm OID (CMS digestAlgorithm, RFC 3161 imprint), else the OID itself.</summary>
    public static string DigestName(string digestOid) => digestOid switch
    {
        "1.2.840.113549.2.5" => "MD5",
        "1.3.14.3.2.26" => "SHA1",
        "2.16.840.1.101.3.4.2.4" => "SHA224",
        "2.16.840.1.101.3.4.2.1" => "SHA256",
        "2.16.840.1.101.3.4.2.2" => "SHA384",
        "2.16.840.1.101.3.4.2.3" => "SHA512",
        _ => digestOid,
    };

    private static bool IsSha2(HashAlgorithmName name) => name == HashAlgorithmName.SHA256 || name == HashAlgorithmName.SHA384 || name == HashAlgorithmName.SHA512;

    // Only reached for the SHA-2 signature OIDs matched above.
    private static HashAlgorithmName NamedDigest(string oid) => new(SignatureDigest(oid) ?? "SHA256");

    /// <summary>RSASSA-PSS parameters (RFC 4055) with a SHA-2 hash, MGF1 with the same hash, and the hash's length as salt, as .NET verifies.</summary>
    private static HashAlgorithmName? PssDigest(byte[]? parameters)
    {
        if (parameters is null)
        {
            return null;
        }
        var pss = Org.BouncyCastle.Asn1.Pkcs.RsassaPssParameters.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(parameters));
        HashAlgorithmName? hash = Digest(pss.HashAlgorithm.Algorithm.Id);
        int saltLength = pss.SaltLength.IntValueExact;
        return hash is { } h && saltLength == HashAlgorithm(h) ? hash : null;
    }

    private static int HashAlgorithm(HashAlgorithmName name) => name == HashAlgorithmName.SHA256 ? 32 : name == HashAlgorithmName.SHA384 ? 48 : 64;
}
