using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Pdf.Parsing;
using Segel.Pdf.Signing;
using Segel.Pdf.Verification;
using Segel.Texts;

namespace Segel.Core.Signing;

/// <summary>An extended PDF or ASiC-E container and what the extension put in it.</summary>
public sealed record ExtendedPdf(byte[] Content, PdfExtensionResult Added)
{
    /// <summary>Whether it is an ASiC-E container (a ZIP), not a PDF.</summary>
    public bool IsContainer => Pdf.Containers.AsicE.IsZip(Content);
}

/// <summary>
/// Extends signed PDFs to PAdES B-LTA, and ASiC-E containers to B-LTA, with this CA's time-stamping authority and
/// revocation data (issue 21.6, 23.1; see <see cref="PdfExtension"/>, <see cref="Pdf.Containers.AsicExtension"/>), so a letter signed today still verifies after its signer's certificate and the TSA's
/// have expired. Only a document whose signatures all verify as VALID now is extended: extending locks in what the
/// evidence says today, and it is pointless (and misleading: the file gains a fresh time-stamp) for one that does not.
/// Verifying first also means an outside CA is asked about a certificate only after its path reached a trusted root.
/// </summary>
public sealed class DocumentExtension
{
    /// <summary>Who may extend: applications that sign (their token's scope) and every person with an account.</summary>
    private const Role People = Role.PolicyAdmin | Role.RaOfficer | Role.AgencyHead | Role.Subscriber | Role.Auditor;

    private readonly DocumentVerification _verification;
    private readonly PdfWorkGate _pdfWork;
    private readonly Configuration.LimitOptions _limits;
    private readonly TrustAnchors _anchors;
    private readonly LocalRevocation _revocation;
    private readonly TimeStamping _timeStamps;
    private readonly TimeProvider _time;

    internal DocumentExtension(DocumentVerification verification, PdfWorkGate pdfWork, Configuration.LimitOptions limits, TrustAnchors anchors,
        LocalRevocation revocation, TimeStamping timeStamps, TimeProvider time)
    {
        _verification = verification;
        _pdfWork = pdfWork;
        _limits = limits;
        _anchors = anchors;
        _revocation = revocation;
        _timeStamps = timeStamps;
        _time = time;
    }

    public async Task<ExtendedPdf> ExtendAsync(Principal by, ReadOnlyMemory<byte> pdf, string? password = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.RequireScope(ApiScopes.SignPdf, People, "extend-signed-documents");
        password = string.IsNullOrEmpty(password) ? null : password;
        DocumentVerdict verdict = await _verification.VerifyAsync(pdf, password, cancellationToken);
        if (verdict.Conclusion is not { } conclusion)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.PdfNoSignatureExtend"));
        }
        if (conclusion != SignatureConclusion.Valid)
        {
            string now = conclusion.ToString().ToUpperInvariant();
            throw SegelException.Conflict(Localized.Of("Error.DocumentSignaturesAllVerifyValid", now));
        }
        return await _pdfWork.RunAsync(async () =>
        {
            var options = new PdfExtensionOptions(
                new DelegateTimeStampClient(async (query, token) => await _timeStamps.RespondAsync(query, token)),
                await _revocation.CreateAsync(_anchors.Outside.Count > 0 ? new Pki.Validation.HttpRevocationSource(LocalRevocation.OutsideHttp) : null, cancellationToken))
            {
                Password = password,
                Now = _time.GetUtcNow(),
                Limits = _limits.PdfReadLimits(),
            };
            using var output = new MemoryStream(pdf.Length + 64 * 1024);
            try
            {
                PdfExtensionResult added;
                if (Pdf.Containers.AsicE.IsZip(pdf.Span))
                {
                    using MemoryStream input = MemoryStreams.ReadOnly(pdf);
                    added = await Pdf.Containers.AsicExtension.ExtendAsync(input, output, options, cancellationToken);
                }
                else
                {
                    added = await PdfExtension.ExtendAsync(pdf, output, options, cancellationToken);
                }
                return new ExtendedPdf(output.ToArray(), added);
            }
            catch (ValidationDataUnavailableException)
            {
                throw SegelException.Conflict(Localized.Of("Error.ValidationDataCertificateDocumentCannot"));
            }
            catch (PdfFormatException)
            {
                throw SegelException.Invalid("file", Localized.Of("Error.FileNotReadablePdfCheck"));
            }
        }, cancellationToken);
    }
}
