using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Validation;

/// <summary>
/// Which digests and keys a signature may rest on, held as data (a verifier is configured, not edited): digests
/// by name with the date until which each is acceptable, and the smallest keys. The defaults follow NIST
/// SP 800-131A Rev. 2 and ETSI TS 119 312: SHA-2 and RSA of 2048 bits or NIST curves with no end date; SHA-1,
/// MD5 and RSA below 2048 bits only for what is proven — by a trusted time-stamp — to have existed before
/// 2014. Segel never makes such a signature (its TSA refuses SHA-1 imprints, its keys are at least RSA-2048
/// or P-256); an old one is reported as resting on a weak algorithm and stays INDETERMINATE
/// (CRYPTO_CONSTRAINTS_FAILURE_NO_POE in ETSI EN 319 102-1's words) without that proof.
/// </summary>
public sealed record AlgorithmPolicy
{
    /// <summary>The end of SHA-1 and of RSA below 2048 bits for signatures (NIST SP 800-131A: disallowed after 2013).</summary>
    public static readonly DateTimeOffset LegacyEnd = new(2014, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static AlgorithmPolicy Default { get; } = new();

    /// <summary>Accepts every algorithm: for test suites about path logic (NIST PKITS signs with DSA and SHA-1).</summary>
    public static AlgorithmPolicy Any { get; } = new()
    {
        Digests = Default.Digests.ToDictionary(d => d.Key, _ => DateTimeOffset.MaxValue, StringComparer.Ordinal),
        MinimumRsaBits = 0,
        WeakRsaUntil = DateTimeOffset.MaxValue,
        Curves = null,
        OtherKeysAccepted = true,
    };

    /// <summary>Digest name (as .NET's <see cref="HashAlgorithmName"/>) → acceptable for signatures made before this time.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Digests { get; init; } = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)
    {
        ["MD5"] = new(2005, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ["SHA1"] = LegacyEnd,
        ["SHA224"] = LegacyEnd,
        ["SHA256"] = DateTimeOffset.MaxValue,
        ["SHA384"] = DateTimeOffset.MaxValue,
        ["SHA512"] = DateTimeOffset.MaxValue,
    };

    public int MinimumRsaBits { get; init; } = 2048;

    /// <summary>RSA keys below <see cref="MinimumRsaBits"/> (but at least 1024) are acceptable before this time.</summary>
    public DateTimeOffset WeakRsaUntil { get; init; } = LegacyEnd;

    /// <summary>Named curves (OIDs) accepted for EC keys; null accepts any curve OpenSSL loads.</summary>
    public IReadOnlySet<string>? Curves { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "1.2.840.10045.3.1.7", // P-256
        "1.3.132.0.34", // P-384
        "1.3.132.0.35", // P-521
        "1.3.36.3.3.2.8.1.1.7", // brainpoolP256r1
        "1.3.36.3.3.2.8.1.1.11", // brainpoolP384r1
        "1.3.36.3.3.2.8.1.1.13", // brainpoolP512r1
    };

    /// <summary>Whether keys other than RSA and EC (DSA, EdDSA) are accepted.</summary>
    public bool OtherKeysAccepted { get; init; }

    /// <summary>Why a signature made with <paramref name="digestName"/> at <paramref name="provenBefore"/> (null: not proven) is weak, or null.</summary>
    public string? CheckDigest(string? digestName, DateTimeOffset? provenBefore)
    {
        string name = digestName ?? "unknown";
        if (Digests.TryGetValue(name, out DateTimeOffset until) && (until == DateTimeOffset.MaxValue || provenBefore < until))
        {
            return null;
        }
        return Digests.ContainsKey(name) ? $"{Display(name)} (acceptable only before {until:yyyy-MM-dd})" : $"digest {name}";
    }

    /// <summary>Why <paramref name="key"/> is too weak for a signature proven made before <paramref name="provenBefore"/>, or null.</summary>
    public string? CheckKey(PublicKey key, DateTimeOffset? provenBefore)
    {
        ArgumentNullException.ThrowIfNull(key);
        switch (key.Oid.Value)
        {
            case "1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.10":
                using (RSA? rsa = key.GetRSAPublicKey())
                {
                    int bits = rsa?.KeySize ?? 0;
                    return bits >= MinimumRsaBits || (bits >= 1024 && provenBefore < WeakRsaUntil) ? null : $"RSA-{bits}";
                }
            case "1.2.840.10045.2.1":
                string? curve = CurveOid(key.EncodedParameters?.RawData ?? []);
                return Curves is null || (curve is not null && Curves.Contains(curve)) ? null : $"EC curve {curve ?? "with explicit parameters"}";
            default:
                return OtherKeysAccepted ? null : $"key algorithm {key.Oid.FriendlyName ?? key.Oid.Value}";
        }
    }

    /// <summary>
    /// Why <paramref name="certificate"/>'s own signature (by its issuer) or its key is weak, or null; a weak one
    /// passes only when what it vouches for is proven older than the algorithm's end (<paramref name="provenBefore"/>).
    /// </summary>
    public string? CheckCertificate(X509Certificate2 certificate, DateTimeOffset? provenBefore)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string? digest = Signatures.SignatureDigest(certificate.SignatureAlgorithm.Value ?? "");
        string? weakDigest = digest is null ? null : CheckDigest(digest, provenBefore);
        return weakDigest ?? CheckKey(certificate.PublicKey, provenBefore);
    }

    private static string Display(string name) => name.StartsWith("SHA", StringComparison.Ordinal) ? "SHA-" + name[3..] : name;

    /// <summary>The named curve of EC parameters (RFC 5480 §2.1.1), null for explicit parameters or anything unreadable.</summary>
    private static string? CurveOid(byte[] parameters)
    {
        try
        {
            return new System.Formats.Asn1.AsnReader(parameters, System.Formats.Asn1.AsnEncodingRules.DER).ReadObjectIdentifier();
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return null;
        }
    }
}
