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
                        return rsa?.VerifyData(data, signature, digest ?? RsaDigest(algorithmOid), RSASignaturePadding.Pkcs1) ?? false;
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
                        return ecdsa?.VerifyData(data, signature, digest ?? EcDigest(algorithmOid), DSASignatureFormat.Rfc3279DerSequence) ?? false;
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
    public static HashAlgorithmName? Digest(string oid) => oid switch
    {
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static bool IsSha2(HashAlgorithmName name) => name == HashAlgorithmName.SHA256 || name == HashAlgorithmName.SHA384 || name == HashAlgorithmName.SHA512;

    private static HashAlgorithmName RsaDigest(string oid) => oid switch
    {
        "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
        "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    private static HashAlgorithmName EcDigest(string oid) => oid switch
    {
        "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
        "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

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
