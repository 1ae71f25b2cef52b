using System.Globalization;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Pdf.Verification;

namespace Segel.Server.Bsre;

/// <summary>A verification in the national API's v1 and v2 field names, with Segel's reasons alongside.</summary>
internal static class BsreVerifyReport
{
    public static object V1(string? fileName, DocumentVerdict verdict, CultureInfo language, RemoteSigning signing)
    {
        IReadOnlyList<SignatureReport> reports = verdict.Reports;
        return new
        {
            nama_dokumen = fileName ?? "",
            jumlah_signature = reports.Count(r => r.Kind == "signature"),
            notes = Notes(verdict, language),
            summary = Summary(verdict),
            details = reports.Select(r => new
            {
                info_tsa = r.TimeStamp is { } t ? new { name = Tsa(r), time = t } : null,
                signature_field = r.Field,
                info_signer = new
                {
                    issuer_dn = r.SignerIssuer,
                    signer_name = CommonName(r.Signer),
                    signer_cert_validity = r.SignerValidFrom is { } from && r.SignerValidTo is { } to ? $"{from:yyyy-MM-dd HH:mm:ss} UTC - {to:yyyy-MM-dd HH:mm:ss} UTC" : null,
                    signer_dn = r.Signer,
                    cert_user_certified = r.Findings.Any(f => f.StartsWith("chain-trusted", StringComparison.Ordinal)),
                },
                signature_document = new
                {
                    signed_using_tsa = r.TimeStamp is not null,
                    reason = r.Reason,
                    document_integrity = r.Findings.Contains("signature-intact") && !r.Findings.Any(f => f.StartsWith("disallowed-change", StringComparison.Ordinal)),
                    signed_in = (r.TimeStamp ?? r.ClaimedSigningTime)?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
                    location = r.Location,
                    hash_value = verdict.Sha256,
                },
                conclusion = r.Conclusion.ToString().ToUpperInvariant(),
                kind = r.Kind,
                reasons = r.Findings.Select(f => ReportText.Finding(f, language)).ToArray(),
            }).ToArray(),
            signature_id = verdict.SignatureId,
            verification_url = verdict.SignatureId is { } id ? signing.VerificationUrl(id) : null,
        };
    }

    public static object V2(DocumentVerdict verdict, CultureInfo language, RemoteSigning signing) => new
    {
        signatureCount = verdict.Reports.Count(r => r.Kind == "signature"),
        description = Notes(verdict, language),
        conclusion = Summary(verdict),
        signatureInformations = verdict.Reports.Select(r => new
        {
            id = r.Field,
            kind = r.Kind,
            signerName = CommonName(r.Signer),
            signerDn = r.Signer,
            issuerDn = r.SignerIssuer,
            signatureDate = r.ClaimedSigningTime,
            timestamp = r.TimeStamp,
            reason = r.Reason,
            location = r.Location,
            certificateValidFrom = r.SignerValidFrom,
            certificateValidTo = r.SignerValidTo,
            integrityValid = r.Findings.Contains("signature-intact"),
            certificateTrusted = r.Findings.Any(f => f.StartsWith("chain-trusted", StringComparison.Ordinal)),
            coversWholeDocument = r.CoversWholeFile,
            certification = r.Certification,
            conclusion = r.Conclusion.ToString().ToUpperInvariant(),
            reasons = r.Findings.Select(f => ReportText.Finding(f, language)).ToArray(),
        }).ToArray(),
        sha256 = verdict.Sha256,
        signatureId = verdict.SignatureId,
        verificationUrl = verdict.SignatureId is { } id ? signing.VerificationUrl(id) : null,
    };

    private static string Summary(DocumentVerdict verdict) => verdict.Conclusion switch
    {
        null => "NO_SIGNATURE",
        SignatureConclusion c => c.ToString().ToUpperInvariant(),
    };

    private static string Notes(DocumentVerdict verdict, CultureInfo language)
    {
        bool id = ErrorTexts.IsIndonesian(language);
        return verdict.Conclusion switch
        {
            null => id ? "Dokumen tidak memiliki tanda tangan elektronik." : "The document has no electronic signature.",
            SignatureConclusion.Valid => id ? "Semua tanda tangan elektronik pada dokumen sah." : "Every electronic signature in the document is valid.",
            SignatureConclusion.Invalid => id ? "Ada tanda tangan elektronik yang tidak sah atau dokumen diubah setelah ditandatangani." : "A signature is invalid or the document was changed after signing.",
            _ => id ? "Keabsahan tanda tangan belum dapat dipastikan." : "The validity of the signatures cannot be established yet.",
        };
    }

    private static string? Tsa(SignatureReport report) =>
        report.Findings.FirstOrDefault(f => f.StartsWith("timestamp-valid:", StringComparison.Ordinal)) is { } f && f.Split(", ", 2) is { Length: 2 } parts ? parts[1] : null;

    /// <summary>The CN of a DN as BouncyCastle writes it ("CN=Budi,O=…").</summary>
    public static string? CommonName(string? dn)
    {
        if (dn is null)
        {
            return null;
        }
        foreach (string part in dn.Split(','))
        {
            string trimmed = part.Trim();
            if (trimmed.StartsWith("CN=", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed[3..];
            }
        }
        return dn;
    }
}
