namespace Segel.Core.Storage;

/// <summary>
/// The audit chain's head at a moment, signed by Segel's time-stamping key. A chain alone cannot show that its
/// newest entries were cut off; a checkpoint vouching for an entry that is no longer there can.
/// </summary>
internal sealed class AuditCheckpointRecord
{
    public long Id { get; set; }

    public long Sequence { get; set; }

    public required byte[] HeadMac { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The authority (the TSA) whose key made <see cref="Signature"/>.</summary>
    public int AuthorityId { get; set; }

    public required byte[] Signature { get; set; }
}
