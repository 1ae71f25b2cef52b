using System.Security.Cryptography;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>A document accepted for storage: its type as read from its bytes, never from a name or header.</summary>
public sealed record AcceptedDocument(DocumentKind Kind, string ContentType, byte[] Content, byte[] Sha256, string? FileName);

/// <summary>
/// Checks an uploaded document before it is stored: only PDF, JPEG and PNG, recognised by their signatures
/// (a renamed executable stays out), within the size limit, and not empty.
/// </summary>
public static class DocumentIntake
{
    /// <summary>Scans and letters are small; 10 MiB leaves room for a high-resolution SK scan.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    public static AcceptedDocument Accept(DocumentKind kind, byte[] content, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.NamedFileIsEmpty", kind.ToName()));
        }
        if (content.Length > MaxBytes)
        {
            throw SegelException.Invalid("file", Localized.Of("Error.FileLargerMiB3", kind.ToName(), MaxBytes / 1024 / 1024));
        }
        string type = Sniff(content)
            ?? throw SegelException.Invalid("file", Localized.Of("Error.FileNotPdfJpegPng", kind.ToName()));
        string? name = string.IsNullOrWhiteSpace(fileName) ? null : Path.GetFileName(fileName.Trim());
        if (name is { Length: > 255 } || name?.Any(char.IsControl) == true)
        {
            name = null;
        }
        return new AcceptedDocument(kind, type, content, SHA256.HashData(content), name);
    }

    /// <summary>The media type the content's own signature proves, or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content)
    {
        // A PDF header may follow a little junk (ISO 32000-2 §7.5.2 lets readers look within the first 1024 bytes).
        int window = Math.Min(content.Length, 1024);
        if (content[..window].IndexOf("%PDF-"u8) >= 0)
        {
            return "application/pdf";
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        return null;
    }

    /// <summary>What an application of this kind must carry (Pasal 14 a–e; 15(4) adds the superior's statement).</summary>
    public static IReadOnlyList<DocumentKind> RequiredFor(EnrollmentKind kind) => kind == EnrollmentKind.Reissue
        ? [DocumentKind.RequestLetter, DocumentKind.RecommendationLetter, DocumentKind.RegistrationForm, DocumentKind.IdCard, DocumentKind.AppointmentDecree, DocumentKind.SuperiorStatement]
        : [DocumentKind.RequestLetter, DocumentKind.RecommendationLetter, DocumentKind.RegistrationForm, DocumentKind.IdCard, DocumentKind.AppointmentDecree];
}
