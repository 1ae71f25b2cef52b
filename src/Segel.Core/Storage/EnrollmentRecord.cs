using Segel.Core.Kernel;

namespace Segel.Core.Storage;

/// <summary>
/// An application for a certificate (Pasal 9a, 14): made by an agency head for an employee of their agency,
/// confirmed by the holder, decided by an RA officer. <see cref="Revision"/> guards every transition, so two
/// officers (or two nodes) deciding at once cannot both succeed.
/// </summary>
internal sealed class EnrollmentRecord : ISealedRow
{
    public string SealTable => "enrollments";

    public string SealKind => "application";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    /// <summary>
    /// Everything that decides what is issued to whom, except <see cref="CodeAttempts"/>: that counter moves by
    /// conditional updates in the database (the lockout must hold under parallel guesses), and each wrong code is
    /// in the audit chain anyway.
    /// </summary>
    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(EmployeeId);
        writer.Add(AgencyId);
        writer.Add((long)Kind);
        writer.Add((long)State);
        writer.Add(Profile);
        writer.Add(ContactEmail);
        writer.Add(HolderEmail);
        writer.Add(CreatedBy);
        writer.Add(CreatedAt);
        writer.Add(ReplacesCertificateId);
        writer.Add(Csr);
        writer.Add(CodeHash);
        writer.Add(CodeExpiresAt);
        writer.Add(EmailConfirmedAt);
        writer.Add(AgreementVersion);
        writer.Add(AgreementSha256);
        writer.Add(AgreementAcceptedAt);
        writer.Add(HolderKeyId);
        writer.Add(SubmittedAt);
        writer.Add(DecidedAt);
        writer.Add(DecidedBy);
        writer.Add(RejectionReason);
        writer.Add(Rejections);
        writer.Add(CertificateId);
        writer.Add(Revision);
        if (EncryptionKeyId is not null)
        {
            writer.Add(EncryptionKeyId); // only when there is one: applications sealed before issue 23.5 keep their seal
        }
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    public long EmployeeId { get; set; }

    /// <summary>The agency that applied (the employee's agency at that time).</summary>
    public int AgencyId { get; set; }

    public EnrollmentKind Kind { get; set; }

    /// <summary>Moved only through <c>Lifecycle.ApplicationFlow</c>; stored as its number.</summary>
    public EnrollmentState State { get; set; }

    public required string Profile { get; set; }

    /// <summary>The agency's address for notices about this application (Pasal 17(4) in spirit).</summary>
    public required string ContactEmail { get; set; }

    /// <summary>The official e-mail the certificate will name, copied from the employee when applying.</summary>
    public required string HolderEmail { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>For a renewal or re-issuance: the certificate it replaces.</summary>
    public long? ReplacesCertificateId { get; set; }

    /// <summary>DER PKCS#10 when the holder keeps their own key.</summary>
    public byte[]? Csr { get; set; }

    /// <summary>HMAC of the confirmation code sent to the holder's e-mail; the code itself is never stored.</summary>
    public byte[]? CodeHash { get; set; }

    public DateTimeOffset? CodeSentAt { get; set; }

    public DateTimeOffset? CodeExpiresAt { get; set; }

    public int CodeAttempts { get; set; }

    public DateTimeOffset? EmailConfirmedAt { get; set; }

    public int? AgreementVersion { get; set; }

    public byte[]? AgreementSha256 { get; set; }

    public DateTimeOffset? AgreementAcceptedAt { get; set; }

    /// <summary>The sealed key pair the holder created when confirming (when Segel keeps the key).</summary>
    public long? HolderKeyId { get; set; }

    /// <summary>
    /// The holder's separate encryption key Segel made at confirmation, escrowed for recovery (issue 23.5); null when the
    /// holder's one key both signs and decrypts (their own key from a CSR, no recovery set up, or an upstream CA).
    /// </summary>
    public long? EncryptionKeyId { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? RejectionReason { get; set; }

    public int Rejections { get; set; }

    public long? CertificateId { get; set; }

    public int Revision { get; set; }
}
