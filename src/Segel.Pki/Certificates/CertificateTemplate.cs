using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Certificates;

/// <summary>
/// Everything that varies between two certificates of the same issuer. <paramref name="SigningOnly"/> narrows a person's
/// certificate to signing when a separate encryption certificate accompanies it (issue 23.5).
/// </summary>
public sealed record CertificateTemplate(
    X500DistinguishedName Subject,
    PublicKey PublicKey,
    CertificateProfile Profile,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    byte[] Serial,
    string? Email = null,
    IReadOnlyList<string>? DnsNames = null,
    bool SigningOnly = false);
