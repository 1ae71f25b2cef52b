namespace Segel.Core.Storage;

/// <summary>What an authority does inside Segel.</summary>
public enum AuthorityRole
{
    RootCa = 1,
    IssuingCa = 2,
    OcspResponder = 3,
    TimeStamping = 4,

    /// <summary>A CA of an outside hierarchy between its root and Segel's issuing CA: its certificate only, no key.</summary>
    OutsideCa = 5,

    /// <summary>
    /// The issuing CA's key waiting for an outside root's certificate (<c>segel init --external-root</c>); the
    /// record's certificate bytes are its PKCS#10 request until <c>segel ca install</c> makes it the issuing CA.
    /// </summary>
    PendingIssuingCa = 6,

    /// <summary>
    /// A link certificate of a root key update: one of Segel's roots certified by the other (old with new, new with
    /// old), so a relying party that trusts either reaches certificates under both. A certificate only; the key is the root's.
    /// </summary>
    LinkCa = 7,
}

/// <summary>
/// One of Segel's own certificates with its key: the root and issuing CAs, the delegated OCSP responder and
/// the TSA. The private key is either sealed here under the master key or, for an HSM, only referenced.
/// </summary>
internal sealed class AuthorityRecord
{
    public int Id { get; set; }

    /// <summary>Name in URLs, e.g. <c>issuing-ca</c> in <c>/crl/issuing-ca.crl</c>.</summary>
    public required string Slug { get; set; }

    public AuthorityRole Role { get; set; }

    /// <summary>The authority whose key signed this certificate; null for the root.</summary>
    public int? ParentId { get; set; }

    public required byte[] CertificateDer { get; set; }

    /// <summary>Where the key is; empty for an outside authority, whose key Segel never holds (<see cref="OutsideKeyUri"/>).</summary>
    public required string KeyUri { get; set; }

    public const string OutsideKeyUri = "";

    public required string KeyAlgorithm { get; set; }

    public byte[]? SealedKey { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    /// <summary>Only active authorities sign; a rolled-over one stays for its CRL and history.</summary>
    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}
