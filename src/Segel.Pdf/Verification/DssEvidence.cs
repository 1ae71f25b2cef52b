using System.Security.Cryptography.X509Certificates;
using Segel.Pdf.Model;
using Segel.Pdf.Parsing;
using Segel.Pki.Validation;

namespace Segel.Pdf.Verification;

/// <summary>The validation data a PDF carries in its Document Security Store (PAdES B-LT), as evidence for path validation.</summary>
internal static class DssEvidence
{
    private const int MaxItems = 1000;

    public static RevocationEvidence Read(PdfDocument document, IRevocationSource? online)
    {
        var evidence = new RevocationEvidence { Online = online };
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
            .Select(document.Decode);
}
