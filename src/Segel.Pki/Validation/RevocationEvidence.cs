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

    /// <summary>What OCSP says of <paramref name="certificate"/> at <paramref name="at"/>: the responses at hand first, else the online source's.</summary>
    public RevocationStatus? OcspStatusOf(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at)
    {
        RevocationStatus? status = RevocationChecker.Check(certificate, issuer, Ocsps, [], at);
        if (status is not null || Online is null)
        {
            return status;
        }
        return Online.FetchOcsp(certificate, issuer) is { } ocsp && RevocationChecker.Check(certificate, issuer, [ocsp], [], at) is { } fromOcsp
            ? fromOcsp with { Source = "ocsp-online" }
            : null;
    }
}
