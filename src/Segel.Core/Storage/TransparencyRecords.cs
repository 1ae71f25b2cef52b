namespace Segel.Core.Storage;

/// <summary>
/// One leaf of the public transparency log: an issuance, revocation or signature, as hashes only
/// (<see cref="Audit.TransparencyLeaves"/>). <see cref="Index"/> is 0, 1, 2, … without gaps, given in the
/// writing transaction under the audit chain's lock, so nodes never fork the log.
/// </summary>
internal sealed class LogEntryRecord
{
    /// <summary>The row's key; <see cref="Index"/> is only known when the row is written.</summary>
    public long Id { get; set; }

    public long Index { get; set; }

    /// <summary>issued, revoked or signed.</summary>
    public required string Kind { get; set; }

    /// <summary>What the leaf is about, for lookups: a certificate's serial, or signature:ID. Not part of the leaf.</summary>
    public required string Subject { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The leaf's bytes (version, kind, time, hashes): what anyone may read and hash again.</summary>
    public required byte[] LeafData { get; set; }

    /// <summary>RFC 9162's leaf hash, SHA-256(0x00 || <see cref="LeafData"/>).</summary>
    public required byte[] LeafHash { get; set; }
}

/// <summary>A signed tree head: the log's size and root at a moment, signed by the TSA's key and time-stamped by the TSA.</summary>
internal sealed class LogHeadRecord
{
    public long Id { get; set; }

    public long TreeSize { get; set; }

    public required byte[] RootHash { get; set; }

    /// <summary>Milliseconds kept: the signed bytes carry them.</summary>
    public DateTimeOffset At { get; set; }

    public int AuthorityId { get; set; }

    public required byte[] Signature { get; set; }

    /// <summary>An RFC 3161 token over SHA-256 of the signed bytes.</summary>
    public required byte[] TimeStampToken { get; set; }
}
