using Segel.Pki.Revocation;

namespace Segel.Pki.Crl;

/// <summary>One revoked certificate as a CRL lists it.</summary>
public readonly record struct RevokedEntry(byte[] Serial, DateTimeOffset RevokedAt, RevocationReason Reason);
