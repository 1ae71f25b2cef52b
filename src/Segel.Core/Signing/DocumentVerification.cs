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
            byte[] pdf = new byte[length];
            try
            {
                await content.ReadExactlyAsync(pdf, cancellationToken);
            }
            catch (EndOfStreamException)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.UploadEndedBeforeWholeFile"));
            }
            return await VerifyNowAsync(pdf, password, cancellationToken);
        }, cancellationToken);
    }

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
        var options = new PdfVerificationOptions
        {
            Revocation = await _revocation.CreateAsync(_anchors.Outside.Count > 0 ? new Pki.Validation.HttpRevocationSource(LocalRevocation.OutsideHttp) : null, cancellationToken),
            Password = string.IsNullOrEmpty(password) ? null : password,
            Now = _time.GetUtcNow(),
            Limits = _limits.PdfReadLimits(),
        };
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
            throw SegelException.Invalid("file", !Pdf.Containers.AsicE.IsZip(pdf.Span)
                ? Localized.Of("Error.FileNotReadablePdfCheck")
                : Localized.Of("Error.ContainerNotReadable"));
        }
        byte[] sha256 = SHA256.HashData(pdf.Span);
        string? id = await _signatures.FindBySignedHashAsync(sha256, cancellationToken);
        return new DocumentVerdict(reports, id, Convert.ToHexStringLower(sha256)) { Container = container };
    }
}
