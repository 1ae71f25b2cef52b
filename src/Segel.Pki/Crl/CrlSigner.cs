using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;
using Segel.Pki.Revocation;

namespace Segel.Pki.Crl;

/// <summary>Builds and signs a full CRL (RFC 5280 §5) for one issuer with .NET's own CRL builder.</summary>
public static class CrlSigner
{
    public static byte[] Sign(X509Certificate2 issuer, ISigningKey key, BigInteger crlNumber,
        DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, IEnumerable<RevokedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entries);
        if (nextUpdate <= thisUpdate)
        {
            throw new ArgumentException("nextUpdate must come after thisUpdate.", nameof(nextUpdate));
        }
        var builder = new CertificateRevocationListBuilder();
        foreach (RevokedEntry entry in entries)
        {
            // RFC 5280 §5.3.1: the reasonCode extension SHOULD be absent rather than say unspecified.
            X509RevocationReason? reason = entry.Reason == RevocationReason.Unspecified ? null : (X509RevocationReason)(int)entry.Reason;
            builder.AddEntry(entry.Serial, entry.RevokedAt, reason);
        }
        return builder.Build(issuer.SubjectName, key.CreateSignatureGenerator(), crlNumber, nextUpdate,
            key.Algorithm.Hash(), X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false), thisUpdate);
    }
}
