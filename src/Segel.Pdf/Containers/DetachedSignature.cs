using System.Security.Cryptography.X509Certificates;
using Segel.Pdf.Verification;

namespace Segel.Pdf.Containers;

/// <summary>A detached CAdES signature (<c>.p7s</c>) beside the one file it signs, checked as a container's signature is.</summary>
public static class DetachedSignature
{
    public static Task<SignatureReport> VerifyAsync(byte[] signature, byte[] content, IReadOnlyCollection<X509Certificate2> trustAnchors,
        PdfVerificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(content);
        return PdfVerifier.VerifyDetachedAsync("signature", signature, content, trustAnchors, options ?? new PdfVerificationOptions(), null, cancellationToken);
    }
}
