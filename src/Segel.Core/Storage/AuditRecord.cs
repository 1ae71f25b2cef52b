namespace Segel.Core.Storage;

/// <summary>
/// One state change or access to personal data, written in the same transaction as the change itself and
/// linked to the record before it (<see cref="AuditChain"/>). Records are only ever appended.
/// </summary>
internal sealed class AuditRecord
{
    public long Id { get; set; }

    /// <summary>1, 2, 3, … without gaps: a missing number is a deleted record.</summary>
    public long Sequence { get; set; }

    /// <summary>Milliseconds are kept (both databases store them exactly), so the MAC can be recomputed.</summary>
    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    /// <summary>Where the request came from: an IP address, or <c>cli</c>.</summary>
    public string? Origin { get; set; }

    public required string Action { get; set; }

    public required string Subject { get; set; }

    /// <summary>JSON: what changed, with before/after values where there are any.</summary>
    public string? Details { get; set; }

    /// <summary>
    /// The request (or job round) that wrote it, as its log lines name it (<see cref="Kernel.RequestCorrelation"/>);
    /// null for records older than the column and for work outside any request. Covered by the MAC when present.
    /// </summary>
    public string? RequestId { get; set; }

    public byte[]? PreviousMac { get; set; }

    public byte[]? Mac { get; set; }
}
