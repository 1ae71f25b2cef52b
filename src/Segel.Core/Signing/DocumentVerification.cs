using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Pdf.Parsing;
using Segel.Pdf.Security;
using Segel.Pdf.Verification;
using Segel.Texts;

namespace Segel.Core.Signing;

/// <summary>
/// A document's verification against this Segel CA — a signed PDF, or an ASiC-E container of any files (then
/// <see cref="Container"/> says which files and what is wrong with it as a whole) — and the record of the signature if
/// Segel made exactly this file.
/// </summary>
public sealed record DocumentVerdict(IReadOnlyList<SignatureReport> Reports, string? SignatureId, string Sha256)
{
    public Pdf.Containers.ContainerReport? Container { get; init; }

    /// <summary>When Segel's record says an institution sealed this very file (issue 23.2): the seal, its agency and when.</summary>
    public PublicSignature? SealedBy { get; init; }

    /// <summary>VALID when there is at least one signature and all are valid, INVALID when any is invalid, else INDETERMINATE (a container: its own verdict).</summary>
    public SignatureConclusion? Conclusion => Container is { } container ? container.Conclusion
        : Reports.Count == 0 ? null
        : Reports.Any(r => r.Conclusion == SignatureConclusion.Invalid) ? SignatureConclusion.Invalid
        : Reports.All(r => r.Conclusion == SignatureConclusion.Valid) ? SignatureConclusion.Valid : SignatureConclusion.Indeterminate;
}

/// <summary>
/// Verification for people who only have the document — the public page and the national API's verify calls: trust
/// is this CA's roots and the outside ones configured (<see cref="TrustAnchors"/>); revocation of Segel's certificates
/// comes from its own OCSP responder and CRLs, in-process, and of an outside CA's from that CA's OCSP or CRL (fetched
/// only for a path already validated to a trusted root; missing intermediates are never fetched here, so an upload
/// cannot make the server call an address of its choosing).
/// </summary>
public sealed class DocumentVerification
{
    private readonly PdfWorkGate _pdfWork;
    private readonly Configuration.LimitOptions _limits;
    private readonly TrustAnchors _anchors;
    private readonly LocalRevocation _revocation;
    private readonly SignatureRecords _signatures;
    private readonly TimeProvider _time;

    internal DocumentVerification(PdfWorkGate pdfWork, Configuration.LimitOptions limits, TrustAnchors anchors, LocalRevocation revocation,
        SignatureRecords signatures, TimeProvider time)
    {
        _pdfWork = pdfWork;
        _limits = limits;
        _anchors = anchors;
        _revocation = revocation;
        _signatures = signatures;
        _time = time;
    }

    public Task<DocumentVerdict> VerifyAsync(ReadOnlyMemory<byte> pdf, string? password = null, CancellationToken cancellationToken = default)
    {
        CheckLength(pdf.Length);
        return _pdfWork.RunAsync(() => VerifyNowAsync(pdf, password, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Verifies an upload read from <paramref name="content"/> (<paramref name="length"/> bytes, as the form declared), which is
    /// read into memory only when its turn comes: uploads waiting for a worker cost the disk the form was buffered to, not memory.
    /// </summary>
    public Task<DocumentVerdict> VerifyAsync(Stream content, long length, string? password = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckLength(length);
        return _pdfWork.RunAsync(async () =>
        {
            return await VerifyNowAsync(await ReadAsync(content, length, cancellationToken), password, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The largest detached signature accepted: a B-LT one carries chains and revocation data, a few kilobytes.</summary>
    public const int MaxDetachedSignatureBytes = 1024 * 1024;

    /// <summary>
    /// Verifies a detached CAdES signature (<c>.p7s</c>) over the file it signs (Pasal 11: any document), both read only when
    /// their turn comes; the file is bounded as a PDF is. Signing a different file gives INVALID (HASH_FAILURE): the public
    /// learns whether the file in their hands is the one that was signed.
    /// </summary>
    public Task<DocumentVerdict> VerifyDetachedAsync(Stream signature, long signatureLength, Stream content, long contentLength, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(content);
        if (signatureLength is <= 0 or > MaxDetachedSignatureBytes)
        {
            throw SegelException.Invalid("signature", Localized.Of("Error.NotDetachedSignature"));
        }
        CheckLength(contentLength);
        return _pdfWork.RunAsync(async () =>
        {
            byte[] cms = await ReadAsync(signature, signatureLength, cancellationToken);
            if (!IsDetachedSignature(cms))
            {
                throw SegelException.Invalid("signature", Localized.Of("Error.NotDetachedSignature"));
            }
            byte[] file = await ReadAsync(content, contentLength, cancellationToken);
            SignatureReport report = await Pdf.Containers.DetachedSignature.VerifyAsync(cms, file, [.. await _anchors.AllAsync(cancellationToken)],
                await OptionsAsync(null, cancellationToken), cancellationToken);
            // Segel records a detached signature by the hash of the .p7s it handed out.
            byte[] sha256 = SHA256.HashData(cms);
            return new DocumentVerdict([report], await _signatures.FindBySignedHashAsync(sha256, cancellationToken), Convert.ToHexStringLower(sha256));
        }, cancellationToken);
    }

    /// <summary>Whether <paramref name="der"/> is a CMS SignedData without its content: a .p7s that needs its file beside it.</summary>
    public static bool IsDetachedSignature(ReadOnlyMemory<byte> der)
    {
        // Read only as far as the encapsulated content: .NET's SignedCms refuses the RFC 5940 OCSP responses a B-LT
        // signature carries among its revocation data.
        if (der.IsEmpty || der.Span[0] != 0x30)
        {
            return false;
        }
        try
        {
            var contentInfo = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.BER).ReadSequence();
            if (contentInfo.ReadObjectIdentifier() != "1.2.840.113549.1.7.2")
            {
                return false;
            }
            System.Formats.Asn1.AsnReader signedData = contentInfo.ReadSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0)).ReadSequence();
            signedData.ReadInteger(); // version
            signedData.ReadSetOf(); // digest algorithms
            System.Formats.Asn1.AsnReader encapsulated = signedData.ReadSequence();
            encapsulated.ReadObjectIdentifier();
            return !encapsulated.HasData;
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return false;
        }
    }

    private static async Task<byte[]> ReadAsync(Stream content, long length, CancellationToken cancellationToken)
    {
        byte[] bytes = new byte[length];
        try
        {
            await content.ReadExactlyAsync(bytes, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.UploadEndedBeforeWholeFile"));
        }
        return bytes;
    }

    private async Task<PdfVerificationOptions> OptionsAsync(string? password, CancellationToken cancellationToken) => new()
    {
        Revocation = await _revocation.CreateAsync(_anchors.Outside.Count > 0 ? new Pki.Validation.HttpRevocationSource(LocalRevocation.OutsideHttp) : null, cancellationToken),
        Password = string.IsNullOrEmpty(password) ? null : password,
        Now = _time.GetUtcNow(),
        Limits = _limits.PdfReadLimits(),
    };

    private void CheckLength(long length)
    {
        long max = (long)_limits.PdfMegabytes * 1024 * 1024;
        if (length == 0)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FileIsEmpty"));
        }
        if (length > max)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FileLargerMiB2", max / (1024 * 1024)));
        }
    }

    private async Task<DocumentVerdict> VerifyNowAsync(ReadOnlyMemory<byte> pdf, string? password, CancellationToken cancellationToken)
    {
        IReadOnlyList<X509Certificate2> anchors = await _anchors.AllAsync(cancellationToken);
        PdfVerificationOptions options = await OptionsAsync(password, cancellationToken);
        IReadOnlyList<SignatureReport> reports;
        Pdf.Containers.ContainerReport? container = null;
        try
        {
            if (Pdf.Containers.AsicE.IsZip(pdf.Span))
            {
                using MemoryStream stream = MemoryStreams.ReadOnly(pdf);
                container = await Pdf.Containers.AsicVerifier.VerifyAsync(stream, [.. anchors], options, cancellationToken);
                reports = [.. container.Signatures.Select(s => s.Report)];
            }
            else
            {
                reports = await PdfVerifier.VerifyAsync(pdf, [.. anchors], options, cancellationToken);
            }
        }
        catch (PdfLimitException e)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FileExpandsMoreMiBWhen", Math.Max(1, e.Budget / (1024 * 1024))));
        }
        catch (PdfPasswordException)
        {
            // The library's two sentences, kept as messages of their own so each reads in the user's language.
            throw SegelException.Invalid("password", options.Password is null
                ? Localized.Of("Error.PdfProtectedPasswordGiveOpen")
                : Localized.Of("Error.PasswordNotOpenPdf"));
        }
        catch (PdfFormatException)
        {
            throw SegelException.Invalid("file", Pdf.Containers.AsicE.IsZip(pdf.Span) ? Localized.Of("Error.ContainerNotReadable")
                : IsDetachedSignature(pdf) ? Localized.Of("Error.DetachedSignatureNeedsFile")
                : Localized.Of("Error.FileNotReadablePdfCheck"));
        }
        byte[] sha256 = SHA256.HashData(pdf.Span);
        string? id = await _signatures.FindBySignedHashAsync(sha256, cancellationToken);
        // Segel's record of it says whether an institution sealed it (issue 23.2), so the page can say "sealed by" the agency.
        PublicSignature? record = id is null ? null : await _signatures.FindPublicAsync(id, cancellationToken);
        return new DocumentVerdict(reports, id, Convert.ToHexStringLower(sha256)) { Container = container, SealedBy = record is { Sealed: true } ? record : null };
    }
}
