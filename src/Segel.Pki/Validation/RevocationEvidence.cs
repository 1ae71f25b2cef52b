using System.Security.Cryptography.X509Certificates;

namespace Segel.Pki.Validation;

/// <summary>
/// What is at hand for validating certificates — extra certificates, OCSP responses and CRLs (from a PDF's DSS,
/// a CMS, a test suite) — plus, when allowed, a source asked for what is missing.
/// </summary>
public sealed class RevocationEvidence
{
    public List<X509Certificate2> Certificates { get; } = [];

    public List<byte[]> Ocsps { get; } = [];

    public List<byte[]> Crls { get; } = [];

    /// <summary>Asked when nothing at hand speaks for a certificate; null to stay offline.</summary>
    public IRevocationSource? Online { get; init; }
}
