using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;

namespace Segel.Pki.Ocsp;

/// <summary>
/// One issuing CA the responder answers for, with the delegated responder certificate and key that CA
/// signed. Requests name the issuer by hashes of its name and key; these are computed once here.
/// </summary>
public sealed class OcspAuthority
{
    private readonly Dictionary<string, (byte[] NameHash, byte[] KeyHash)> _hashes = new(StringComparer.Ordinal);

    public OcspAuthority(string issuerSlug, X509Certificate2 issuer, X509Certificate2 responderCertificate, ISigningKey responderKey)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(responderCertificate);
        IssuerSlug = issuerSlug;
        Issuer = issuer;
        ResponderCertificate = responderCertificate;
        ResponderKey = responderKey ?? throw new ArgumentNullException(nameof(responderKey));
        byte[] name = issuer.SubjectName.RawData;
        byte[] key = issuer.PublicKey.EncodedKeyValue.RawData;
        foreach ((string oid, HashAlgorithmName hash) in SupportedHashes)
        {
            _hashes[oid] = (Hash(hash, name), Hash(hash, key));
        }
#pragma warning disable CA5350 // RFC 6960 §4.2.1 defines the byKey ResponderID as a SHA-1 hash; it is an identifier, not a signature.
        ResponderKeyHash = SHA1.HashData(responderCertificate.PublicKey.EncodedKeyValue.RawData);
#pragma warning restore CA5350
        Writer = new OcspResponseWriter(responderKey, ResponderKeyHash, responderCertificate.RawData);
    }

    /// <summary>SHA-1 is what RFC 5019 clients send; the SHA-2 family is accepted as well.</summary>
    private static readonly (string Oid, HashAlgorithmName Hash)[] SupportedHashes =
    [
        ("1.3.14.3.2.26", HashAlgorithmName.SHA1),
        ("2.16.840.1.101.3.4.2.1", HashAlgorithmName.SHA256),
        ("2.16.840.1.101.3.4.2.2", HashAlgorithmName.SHA384),
        ("2.16.840.1.101.3.4.2.3", HashAlgorithmName.SHA512),
    ];

    public string IssuerSlug { get; }

    public X509Certificate2 Issuer { get; }

    public X509Certificate2 ResponderCertificate { get; }

    public ISigningKey ResponderKey { get; }

    /// <summary>Writes and signs this responder's answers.</summary>
    internal OcspResponseWriter Writer { get; }

    /// <summary>SHA-1 of the responder's public key: the byKey ResponderID RFC 5019 asks for.</summary>
    internal byte[] ResponderKeyHash { get; }

    internal bool Matches(RequestedCertificate asked) =>
        _hashes.TryGetValue(asked.HashOid, out var h) &&
        CryptographicOperations.FixedTimeEquals(h.NameHash, asked.IssuerNameHash) &&
        CryptographicOperations.FixedTimeEquals(h.KeyHash, asked.IssuerKeyHash);

    private static byte[] Hash(HashAlgorithmName hash, byte[] data)
    {
        using var h = IncrementalHash.CreateHash(hash);
        h.AppendData(data);
        return h.GetHashAndReset();
    }
}
