namespace Segel.Core.Storage;

/// <summary>A CRL as published. (IssuerId, Number) is unique, so two nodes can never publish the same number.</summary>
internal sealed class CrlRecord
{
    public long Id { get; set; }

    public int IssuerId { get; set; }

    public long Number { get; set; }

    public DateTimeOffset ThisUpdate { get; set; }

    public DateTimeOffset NextUpdate { get; set; }

    public int EntryCount { get; set; }

    public required byte[] Der { get; set; }
}
