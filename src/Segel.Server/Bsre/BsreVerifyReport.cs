using System.Globalization;
using Segel.Core.Errors;
using Segel.Core.Signing;
using Segel.Pdf.Verification;
using Segel.Pki.Validation;
using Segel.Server.Portal;

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
                    cert_user_certified = SignerChainTrusted(r),
                },
                signature_document = new
                {
                    signed_using_tsa = r.TimeStamp is not null,
                    reason = r.Reason,
                    document_integrity = Intact(r) && !r.Findings.Any(f => f.Code == FindingCode.DisallowedChange),
                    signed_in = (r.TimeStamp ?? r.ClaimedSigningTime)?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
                    location = r.Location,
                    hash_value = verdict.Sha256,
                },
                conclusion = r.Conclusion.ToString().ToUpperInvariant(),
                kind = r.Kind,
                changes = r.Changes,
                changes_text = r.CoversWholeFile ? null : ReportText.Changes(r, language),
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
            integrityValid = Intact(r),
            certificateTrusted = SignerChainTrusted(r),
            coversWholeDocument = r.CoversWholeFile,
            certification = r.Certification,
            changes = r.Changes,
            changesText = r.CoversWholeFile ? null : ReportText.Changes(r, language),
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
        return UiText.Get("NationalApi.Verification." + Summary(verdict), language);
    }

    private static string? Tsa(SignatureReport report) => report.TimeStampAuthority;

    /// <summary>The signer's own chain reaches a trusted root (the time-stamping authority's does not count here).</summary>
    private static bool SignerChainTrusted(SignatureReport report) =>
        report.Findings.Any(f => f.Code == FindingCode.ChainTrusted && f.Source == FindingSource.Signer);

    private static bool Intact(SignatureReport report) =>
        report.Findings.Any(f => f.Code == FindingCode.SignatureIntact && f.Source == FindingSource.Signer);

    /// <summary>The CN of a DN as BouncyCastle writes it ("CN=Budi,O=…"); the whole DN when it has none.</summary>
    public static string? CommonName(string? dn) => Attribute(dn, "CN") ?? dn;

    /// <summary>One attribute of a DN as BouncyCastle writes it ("CN=Budi,OU=Dinas…,O=…"), or null.</summary>
    public static string? Attribute(string? dn, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (string part in (dn ?? "").Split(','))
        {
            string trimmed = part.Trim();
            if (trimmed.Length > name.Length && trimmed.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed[(name.Length + 1)..];
            }
        }
        return null;
    }
}
