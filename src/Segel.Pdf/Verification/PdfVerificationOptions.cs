using Segel.Pki.Validation;

namespace Segel.Pdf.Verification;

/// <summary>How to verify: where to look up revocation status that the file does not carry, and what "now" is.</summary>
public sealed record PdfVerificationOptions
{
    /// <summary>Asked when the file's DSS and the CMS hold no usable OCSP response or CRL; null to stay offline.</summary>
    public IRevocationSource? Revocation { get; init; }

    /// <summary>The user or owner password of an encrypted PDF (none tries the empty user password).</summary>
    public string? Password { get; init; }

    /// <summary>The time a signature without a trusted time is checked at (its claimed time is the signer's word only).</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>How far the file may expand when decompressed, for the whole verification (every revision opened again counts).</summary>
    public Parsing.PdfReadLimits Limits { get; init; } = Parsing.PdfReadLimits.Default;

    /// <summary>Which digests and keys a signature may rest on (SHA-1 and small RSA keys only when proven older than 2014).</summary>
    public AlgorithmPolicy Policy { get; init; } = AlgorithmPolicy.Default;
}
