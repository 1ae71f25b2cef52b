namespace Segel.Core.Storage;

/// <summary>
/// A complaint (Pasal 16(2)e, 16(6)) from a holder or a member of the public. What the complainant wrote and how to
/// reach them are personal data, sealed like a NIK; the tracking code is kept only as its SHA-256. Every step (filed,
/// answered, closed, forwarded) is an audit record with the text's hash, so the history is tamper-evident.
/// </summary>
internal sealed class ComplaintRecord
{
    public long Id { get; set; }

    /// <summary><c>certificate</c>, <c>signature</c>, <c>ra-officer</c> or <c>other</c>.</summary>
    public required string Topic { get; set; }

    /// <summary>What it is about: a certificate's serial, a signature's id, an officer's name; free text, short.</summary>
    public string? Reference { get; set; }

    public required byte[] TextSealed { get; set; }

    /// <summary>The complainant's name and e-mail as JSON, sealed; null when they gave neither.</summary>
    public byte[]? ContactSealed { get; set; }

    /// <summary>The account that filed it, when signed in.</summary>
    public string? FiledBy { get; set; }

    public required byte[] TrackingHash { get; set; }

    /// <summary><c>open</c>, <c>answered</c> or <c>closed</c>.</summary>
    public required string State { get; set; }

    public DateTimeOffset FiledAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public DateTimeOffset? ForwardedAt { get; set; }

    /// <summary>Bumped by every change, so two officers answering at once cannot both close it.</summary>
    public int Revision { get; set; }
}

/// <summary>An answer to a complaint, sealed like the complaint.</summary>
internal sealed class ComplaintAnswerRecord
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public required string By { get; set; }

    public required byte[] TextSealed { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>
/// A supervision report generated on schedule (Pasal 25): its figures as JSON, never changed after they are written.
/// The audit chain holds their SHA-256 (<c>report.generated</c>), so a change in the database shows and is refused.
/// One row per period and scope (the regency is the empty scope), so two nodes generate it once.
/// </summary>
internal sealed class StoredReportRecord
{
    public long Id { get; set; }

    public required string Period { get; set; }

    /// <summary>An agency's code, or empty for the whole regency.</summary>
    public required string Scope { get; set; }

    public required string Figures { get; set; }

    public required byte[] Sha256 { get; set; }

    public DateTimeOffset GeneratedAt { get; set; }
}

/// <summary>
/// An evaluation finding (Pasal 25) attached to a report's period: what was found, the agency concerned, the follow-up
/// and its due date; open until a supervisor closes it with a note. Shown in every report whose period it was open in.
/// </summary>
internal sealed class FindingRecord
{
    public long Id { get; set; }

    /// <summary>The period of the report it was found in (<c>2026-H1</c>).</summary>
    public required string Period { get; set; }

    public int? AgencyId { get; set; }

    public required string Finding { get; set; }

    public required string FollowUp { get; set; }

    public DateOnly DueDate { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosedBy { get; set; }

    public string? ClosingNote { get; set; }
}
