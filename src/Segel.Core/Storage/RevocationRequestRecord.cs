using Segel.Core.Kernel;

namespace Segel.Core.Storage;

/// <summary>A request to revoke a certificate (Pasal 17, 19d, 22).</summary>
internal sealed class RevocationRequestRecord : ISealedRow
{
    public string SealTable => "revocation_requests";

    public string SealKind => "revocation-request";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(CertificateId);
        writer.Add(EmployeeId);
        writer.Add(AgencyId);
        writer.Add(Reason);
        writer.Add((long)State);
        writer.Add(RequestedBy);
        writer.Add(ContactEmail);
        writer.Add(Statement);
        writer.Add(CreatedAt);
        writer.Add(DecidedAt);
        writer.Add(DecidedBy);
        writer.Add(RejectionReason);
        writer.Add(Revision);
        if (Ground is int ground)
        {
            writer.Add(ground); // only when set: requests made before grounds existed keep their seal
        }
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    public long CertificateId { get; set; }

    public long? EmployeeId { get; set; }

    public int? AgencyId { get; set; }

    /// <summary>RFC 5280 reason code.</summary>
    public int Reason { get; set; }

    /// <summary>The regulation's ground (<see cref="Kernel.RevocationGround"/>); null on requests made before grounds were kept.</summary>
    public int? Ground { get; set; }

    /// <summary>Moved only through <c>Lifecycle.RevocationRequestFlow</c>; stored as its number.</summary>
    public RevocationRequestState State { get; set; }

    public required string RequestedBy { get; set; }

    /// <summary>Where the outcome is e-mailed (Pasal 17(4)).</summary>
    public string? ContactEmail { get; set; }

    public string? Statement { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? RejectionReason { get; set; }

    public int Revision { get; set; }
}
