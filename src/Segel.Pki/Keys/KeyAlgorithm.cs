using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Keys;

/// <summary>The key algorithms Segel generates and accepts for CA, responder and holder keys.</summary>
public enum KeyAlgorithm
{
    Rsa2048,
    Rsa3072,
    Rsa4096,
    EcdsaP256,
    EcdsaP384,
}

public static class KeyAlgorithms
{
    public static bool IsRsa(this KeyAlgorithm algorithm) =>
        algorithm is KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096;

    public static int RsaKeySize(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => 2048,
        KeyAlgorithm.Rsa3072 => 3072,
        KeyAlgorithm.Rsa4096 => 4096,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not an RSA algorithm"),
    };

    public static ECCurve Curve(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => ECCurve.NamedCurves.nistP256,
        KeyAlgorithm.EcdsaP384 => ECCurve.NamedCurves.nistP384,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not an ECDSA algorithm"),
    };

    /// <summary>
    /// The digest paired with a key: SHA-256 for RSA and P-256, SHA-384 for P-384, so the signature's
    /// strength is never limited by its hash (NIST SP 800-57 comparable strengths).
    /// </summary>
    /// <summary>A new key pair of this algorithm.</summary>
    public static AsymmetricAlgorithm Generate(this KeyAlgorithm algorithm) =>
        algorithm.IsRsa() ? RSA.Create(algorithm.RsaKeySize()) : ECDsa.Create(algorithm.Curve());

    /// <summary>A key of this algorithm from its PKCS#8 (an EC key as ECDSA: the caller's certificate decides how it is used).</summary>
    public static AsymmetricAlgorithm ImportPkcs8(this KeyAlgorithm algorithm, ReadOnlySpan<byte> pkcs8)
    {
        AsymmetricAlgorithm key = algorithm.IsRsa() ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static HashAlgorithmName Hash(this KeyAlgorithm algorithm) =>
        algorithm == KeyAlgorithm.EcdsaP384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>Parses the names used in configuration and on the command line: rsa2048 … ecdsa-p384.</summary>
    public static bool TryParse(string? text, out KeyAlgorithm algorithm)
    {
        algorithm = default;
        string normalised = (text ?? "").Trim().Replace("-", "", StringComparison.Ordinal)
            .Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        switch (normalised)
        {
            case "RSA2048": algorithm = KeyAlgorithm.Rsa2048; return true;
            case "RSA3072": algorithm = KeyAlgorithm.Rsa3072; return true;
            case "RSA4096": algorithm = KeyAlgorithm.Rsa4096; return true;
            case "ECDSAP256" or "P256" or "EC256": algorithm = KeyAlgorithm.EcdsaP256; return true;
            case "ECDSAP384" or "P384" or "EC384": algorithm = KeyAlgorithm.EcdsaP384; return true;
            default: return false;
        }
    }

    public static KeyAlgorithm Parse(string? text) => TryParse(text, out KeyAlgorithm algorithm)
        ? algorithm
        : throw new FormatException(
            $"Unknown key algorithm '{text}'. Use one of: rsa2048, rsa3072, rsa4096, ecdsa-p256, ecdsa-p384.");

    public static string ToConfigName(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => "rsa2048",
        KeyAlgorithm.Rsa3072 => "rsa3072",
        KeyAlgorithm.Rsa4096 => "rsa4096",
        KeyAlgorithm.EcdsaP256 => "ecdsa-p256",
        KeyAlgorithm.EcdsaP384 => "ecdsa-p384",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Identifies the algorithm of an existing public key (used for CSRs).</summary>
    public static KeyAlgorithm? Identify(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        using RSA? rsa = publicKey.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.KeySize switch
            {
                2048 => KeyAlgorithm.Rsa2048,
                3072 => KeyAlgorithm.Rsa3072,
                4096 => KeyAlgorithm.Rsa4096,
                _ => null,
            };
        }
        using ECDsa? ec = publicKey.GetECDsaPublicKey();
        if (ec is not null)
        {
            ECParameters p = ec.ExportParameters(false);
            string? oid = p.Curve.Oid?.Value;
            return oid switch
            {
                "1.2.840.10045.3.1.7" => KeyAlgorithm.EcdsaP256,
                "1.3.132.0.34" => KeyAlgorithm.EcdsaP384,
                _ => null,
            };
        }
        return null;
    }
}
