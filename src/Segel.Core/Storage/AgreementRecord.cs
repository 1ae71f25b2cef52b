namespace Segel.Core.Storage;

/// <summary>A version of the subscriber agreement (Pasal 7). Versions are never edited, only added.</summary>
internal sealed class AgreementRecord
{
    public int Version { get; set; }

    public required string Text { get; set; }

    public required byte[] Sha256 { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public required string PublishedBy { get; set; }
}
