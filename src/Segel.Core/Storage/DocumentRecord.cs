using Segel.Core.Kernel;

namespace Segel.Core.Storage;

/// <summary>An attached document (Pasal 14 a–e, a superior's statement, a revocation letter). Content is kept with its SHA-256.</summary>
internal sealed class DocumentRecord
{
    public long Id { get; set; }

    public long? EnrollmentId { get; set; }

    public long? RevocationRequestId { get; set; }

    public DocumentKind Kind { get; set; }

    public required string ContentType { get; set; }

    public long Size { get; set; }

    public required byte[] Sha256 { get; set; }

    /// <summary>AES-256-GCM under a key derived from the master key, bound to <see cref="Sha256"/> (see <see cref="Sealed"/>).</summary>
    public required byte[] Content { get; set; }

    /// <summary>True for every document stored since sealing began; older rows are sealed at the next start.</summary>
    public bool Sealed { get; set; }

    public string? FileName { get; set; }

    public required string UploadedBy { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>A later upload of the same kind replaced it; kept, because the record of what was sent is evidence.</summary>
    public bool Superseded { get; set; }
}
