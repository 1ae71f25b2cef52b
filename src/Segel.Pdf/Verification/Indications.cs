using Segel.Pki.Validation;
using System.Text.Json.Serialization;

namespace Segel.Pdf.Verification;

/// <summary>The overall result in ETSI EN 319 102-1 §5.1.3 terms, beside Segel's own conclusion.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Indication>))]
public enum Indication
{
    [JsonStringEnumMemberName("TOTAL_PASSED")] TotalPassed,
    [JsonStringEnumMemberName("INDETERMINATE")] Indeterminate,
    [JsonStringEnumMemberName("TOTAL_FAILED")] TotalFailed,
}

/// <summary>Why a signature is not TOTAL_PASSED, in ETSI EN 319 102-1 Table 6 terms (one value is Segel's own, see <see cref="DisallowedChange"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubIndication>))]
public enum SubIndication
{
    /// <summary>The signature is not laid out as a PDF signature must be (byte range, CMS, signed revision).</summary>
    [JsonStringEnumMemberName("FORMAT_FAILURE")] FormatFailure,

    /// <summary>The signed content or the signature over it does not match (Segel checks both in one step and does not yet tell them apart).</summary>
    [JsonStringEnumMemberName("HASH_FAILURE")] HashFailure,

    /// <summary>A time-stamp's signature does not verify or is not over this signature.</summary>
    [JsonStringEnumMemberName("SIG_CRYPTO_FAILURE")] SigCryptoFailure,

    [JsonStringEnumMemberName("REVOKED")] Revoked,

    /// <summary>Segel's own: a later revision changed what the signature covers in a way its permissions do not allow (ETSI has no value for it).</summary>
    [JsonStringEnumMemberName("DISALLOWED_CHANGE")] DisallowedChange,

    [JsonStringEnumMemberName("NO_SIGNING_CERTIFICATE_FOUND")] NoSigningCertificateFound,
    [JsonStringEnumMemberName("NO_CERTIFICATE_CHAIN_FOUND")] NoCertificateChainFound,

    /// <summary>A certificate was outside its validity at the time checked, and nothing proves an earlier time.</summary>
    [JsonStringEnumMemberName("OUT_OF_BOUNDS_NO_POE")] OutOfBoundsNoPoe,

    [JsonStringEnumMemberName("CRYPTO_CONSTRAINTS_FAILURE_NO_POE")] CryptoConstraintsFailureNoPoe,
    [JsonStringEnumMemberName("REVOKED_NO_POE")] RevokedNoPoe,

    /// <summary>No OCSP response or CRL could be had; asking again later may settle it.</summary>
    [JsonStringEnumMemberName("TRY_LATER")] TryLater,

    [JsonStringEnumMemberName("CERTIFICATE_CHAIN_GENERAL_FAILURE")] CertificateChainGeneralFailure,

    /// <summary>A time-stamp meant to prove when the signature existed cannot be used, and nothing else proves it.</summary>
    [JsonStringEnumMemberName("NO_POE")] NoPoe,

    /// <summary>A certificate of the chain breaks the validation constraints on certificates (RFC 5280's profile, see <see cref="Pki.Validation.Conformance"/>).</summary>
    [JsonStringEnumMemberName("CHAIN_CONSTRAINTS_FAILURE")] ChainConstraintsFailure,
}

/// <summary>The one place a report's conclusion and findings are read as an ETSI indication and sub-indication.</summary>
public static class Indications
{
    public static Indication Of(SignatureConclusion conclusion) => conclusion switch
    {
        SignatureConclusion.Valid => Indication.TotalPassed,
        SignatureConclusion.Indeterminate => Indication.Indeterminate,
        _ => Indication.TotalFailed,
    };

    /// <summary>The first reason, in order of weight, that explains the conclusion; null when it passed.</summary>
    public static SubIndication? Reason(SignatureConclusion conclusion, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        // Whoever's check found it, the signer's or the time-stamping authority's, it weighs the same.
        bool Has(FindingCode code) => findings.Any(f => f.Code == code);
        return conclusion switch
        {
            SignatureConclusion.Valid => null,
            SignatureConclusion.Invalid =>
                Has(FindingCode.ByteRangeMalformed) || Has(FindingCode.ByteRangeGapNotContents) || Has(FindingCode.CmsUnreadable) || Has(FindingCode.SignedRevisionUnreadable)
                    || Has(FindingCode.ContainerMalformed) ? SubIndication.FormatFailure
                // A container's file changed or gone is a signed data object whose digest no longer matches.
                : Has(FindingCode.SignatureOrDigestMismatch) || Has(FindingCode.ContainerFileChanged) || Has(FindingCode.ContainerFileMissing) ? SubIndication.HashFailure
                : Has(FindingCode.CertificateRevoked) ? SubIndication.Revoked
                : Has(FindingCode.DisallowedChange) ? SubIndication.DisallowedChange
                : SubIndication.SigCryptoFailure,
            _ =>
                Has(FindingCode.WeakAlgorithm) ? SubIndication.CryptoConstraintsFailureNoPoe
                : Has(FindingCode.RevokedTimeUnproven) ? SubIndication.RevokedNoPoe
                : Has(FindingCode.SignerCertificateMissing) ? SubIndication.NoSigningCertificateFound
                : Has(FindingCode.CertificateNonconforming) ? SubIndication.ChainConstraintsFailure
                : Has(FindingCode.TimestampExpiredUnproven) || Has(FindingCode.SignerExpiredUnproven) ? SubIndication.OutOfBoundsNoPoe
                : findings.Any(f => f.Code == FindingCode.ChainNotTrusted && f.Detail?.Contains(nameof(System.Security.Cryptography.X509Certificates.X509ChainStatusFlags.NotTimeValid), StringComparison.Ordinal) == true) ? SubIndication.OutOfBoundsNoPoe
                : Has(FindingCode.ChainNotTrusted) || Has(FindingCode.NoTrustAnchors) ? SubIndication.NoCertificateChainFound
                : Has(FindingCode.RevocationUnknown) ? SubIndication.TryLater
                : Has(FindingCode.TimestampInvalid) ? SubIndication.NoPoe
                : SubIndication.CertificateChainGeneralFailure,
        };
    }
}
