using Segel.Pki.Revocation;

namespace Segel.Pki.Ocsp;

public enum CertificateState
{
    Good,
    Revoked,
    /// <summary>This issuer never issued the serial (RFC 6960 "unknown").</summary>
    Unknown,
}

/// <summary>What the CA's records say about one serial number.</summary>
public readonly record struct CertificateStatus(CertificateState State, DateTimeOffset? RevokedAt = null, RevocationReason? Reason = null)
{
    public static CertificateStatus Good => new(CertificateState.Good);

    public static CertificateStatus Unknown => new(CertificateState.Unknown);

    public static CertificateStatus Revoked(DateTimeOffset at, RevocationReason reason) => new(CertificateState.Revoked, at, reason);
}

/// <summary>Where the responder reads certificate status from (the CA's database, in Segel).</summary>
public interface ICertificateStatusSource
{
    ValueTask<CertificateStatus> GetStatusAsync(string issuerSlug, string serialHex, CancellationToken cancellationToken);

    /// <summary>
    /// The status from memory, without waiting, when the source holds it (<paramref name="serial"/> as the request's
    /// octets); false sends the responder to <see cref="GetStatusAsync"/>.
    /// </summary>
    bool TryGetKnownStatus(string issuerSlug, ReadOnlySpan<byte> serial, out CertificateStatus status)
    {
        status = default;
        return false;
    }
}
