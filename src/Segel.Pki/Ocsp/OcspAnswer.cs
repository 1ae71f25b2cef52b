namespace Segel.Pki.Ocsp;

/// <summary>
/// A DER OCSPResponse ready to send. <see cref="ThisUpdate"/> and <see cref="NextUpdate"/> are set on
/// successful, nonce-free answers, which HTTP caches may keep (RFC 5019 §6.2).
/// </summary>
public sealed record OcspAnswer(byte[] Body, DateTimeOffset? ThisUpdate = null, DateTimeOffset? NextUpdate = null, string? ETag = null)
{
    public bool Cacheable => NextUpdate is not null;

    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED } for the unsuccessful statuses of RFC 6960 §4.2.1.
    public static OcspAnswer MalformedRequest { get; } = new([0x30, 0x03, 0x0A, 0x01, 0x01]);

    public static OcspAnswer InternalError { get; } = new([0x30, 0x03, 0x0A, 0x01, 0x02]);

    public static OcspAnswer TryLater { get; } = new([0x30, 0x03, 0x0A, 0x01, 0x03]);

    public static OcspAnswer Unauthorized { get; } = new([0x30, 0x03, 0x0A, 0x01, 0x06]);
}
