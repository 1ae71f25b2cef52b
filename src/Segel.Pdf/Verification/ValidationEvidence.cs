using System.Security.Cryptography.X509Certificates;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pdf.Revocation;

namespace Segel.Pdf.Verification;

/// <summary>
/// Everything a file offers for validating its signatures' chains — the DSS's certificates, OCSP responses and
/// CRLs (PAdES B-LT) — plus, when allowed, what the online source returns for what the file lacks.
/// </summary>
internal sealed class ValidationEvidence
{
    private const int MaxItems = 1000;

    public List<X509Certificate2> Certificates { get; } = [];

    public List<byte[]> Ocsps { get; } = [];

    public List<byte[]> Crls { get; } = [];

    public IRevocationSource? Online { get; init; }

    public static ValidationEvidence FromDss(PdfDocument document, IRevocationSource? online)
    {
        var evidence = new ValidationEvidence { Online = online };
        if (document.Resolve(document.Catalog["DSS"]) is not PdfDictionary dss)
        {
            return evidence;
        }
        foreach (byte[] der in Streams(document, dss["Certs"]))
        {
            try
            {
                evidence.Certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // An unreadable certificate in the DSS is simply no help.
            }
        }
        evidence.Ocsps.AddRange(Streams(document, dss["OCSPs"]));
        evidence.Crls.AddRange(Streams(document, dss["CRLs"]));
        return evidence;
    }

    private static IEnumerable<byte[]> Streams(PdfDocument document, PdfObject? array) =>
        ((document.Resolve(array) as PdfArray)?.Items ?? []).Take(MaxItems)
            .Select(item => document.Resolve(item) as PdfStream).OfType<PdfStream>()
            .Select(stream => document.Decode(stream));

    /// <summary>The status of <paramref name="certificate"/> at <paramref name="at"/>: from the file first, else online.</summary>
    public RevocationStatus? StatusOf(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, IEnumerable<byte[]> embeddedCrls)
    {
        RevocationStatus? status = RevocationChecker.Check(certificate, issuer, Ocsps, [.. Crls, .. embeddedCrls], at);
        if (status is not null || Online is null)
        {
            return status;
        }
        if (Online.FetchOcsp(certificate, issuer) is { } ocsp && RevocationChecker.Check(certificate, issuer, [ocsp], [], at) is { } fromOcsp)
        {
            return fromOcsp with { Source = "ocsp-online" };
        }
        return Online.FetchCrl(certificate, issuer) is { } crl && RevocationChecker.Check(certificate, issuer, [], [crl], at) is { } fromCrl
            ? fromCrl with { Source = "crl-online" }
            : null;
    }
}
