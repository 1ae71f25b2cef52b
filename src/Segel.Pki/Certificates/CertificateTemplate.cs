using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Certificates;

/// <summary>Everything that varies between two certificates of the same issuer.</summary>
public sealed record CertificateTemplate(
    X500DistinguishedName Subject,
    PublicKey PublicKey,
    CertificateProfile Profile,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    byte[] Serial,
    string? Email = null,
    IReadOnlyList<string>? DnsNames = null);
