namespace Segel.Core.Storage;

/// <summary>An RA officer's decision, signed (CMS) with the officer's own key so it cannot be denied later.</summary>
internal sealed class DecisionRecord : ISealedRow
{
    public string SealTable => "decisions";

    public string SealKind => "decision";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    /// <summary>The CMS already binds the officer's statement; the seal binds the columns Segel reads it by.</summary>
    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(SubjectType);
        writer.Add(SubjectId);
        writer.Add(Decision);
        writer.Add(Officer);
        writer.Add(OfficerCertificateId);
        writer.Add(Payload);
        writer.Add(Cms);
        writer.Add(At);
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    /// <summary><c>enrollment</c> or <c>revocation-request</c>.</summary>
    public required string SubjectType { get; set; }

    public long SubjectId { get; set; }

    /// <summary><c>approved</c>, <c>rejected</c>, <c>revoked</c>, <c>reviewed</c>.</summary>
    public required string Decision { get; set; }

    public required string Officer { get; set; }

    /// <summary>The officer's certificate that signed.</summary>
    public long OfficerCertificateId { get; set; }

    /// <summary>The signed statement (UTF-8 JSON), also inside <see cref="Cms"/>.</summary>
    public required byte[] Payload { get; set; }

    /// <summary>CMS SignedData (DER) with the payload encapsulated.</summary>
    public required byte[] Cms { get; set; }

    public DateTimeOffset At { get; set; }
}
