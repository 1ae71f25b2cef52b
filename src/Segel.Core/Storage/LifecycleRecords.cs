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

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? RejectionReason { get; set; }

    public int Rejections { get; set; }

    public long? CertificateId { get; set; }

    public int Revision { get; set; }
}

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

/// <summary>A version of the subscriber agreement (Pasal 7). Versions are never edited, only added.</summary>
internal sealed class AgreementRecord
{
    public int Version { get; set; }

    public required string Text { get; set; }

    public required byte[] Sha256 { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public required string PublishedBy { get; set; }
}

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

/// <summary>One renewal reminder sent; unique per (certificate, days), which is what makes it once-only across nodes.</summary>
internal sealed class ReminderRecord
{
    public long Id { get; set; }

    public long CertificateId { get; set; }

    public int DaysBefore { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>
/// An e-mail written in the same transaction as the change it reports, and delivered afterwards: a notice is
/// never lost to a crash after the commit, nor sent for a change that rolled back.
/// </summary>
internal sealed class OutboxMailRecord
{
    public long Id { get; set; }

    public required string To { get; set; }

    public required string Subject { get; set; }

    /// <summary>Left from before bodies were sealed; new mail never writes it, and sealing at start empties it.</summary>
    public string? Body { get; set; }

    /// <summary>The body sealed at rest (it may hold a one-time code); erased once the message is delivered.</summary>
    public byte[]? SealedBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A node claimed it until then; another node may take it over after.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>Which delivery round claimed the message: a round claims all its messages in one update, then reads back its own.</summary>
    public Guid? ClaimToken { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}

/// <summary>
/// A holder's key pair kept by Segel: the private key sealed under a key derived from the holder's
/// passphrase (Argon2id, parameters stored here) and the server's master key together.
/// </summary>
internal sealed class HolderKeyRecord : ISealedRow
{
    public string SealTable => "holder_keys";

    public string SealKind => "holder-key";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    /// <summary>
    /// Whose key it is, the sealed key itself, and whether it is locked; not <see cref="FailedAttempts"/>, which
    /// moves by conditional updates in the database (see <c>HolderKeyVault</c>) and whose every step is in the
    /// audit chain. A lock lifted behind Segel's back breaks the seal.
    /// </summary>
    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(EmployeeId);
        writer.Add(Algorithm);
        writer.Add(PublicKey);
        writer.Add(SealedPrivateKey);
        writer.Add(Kdf);
        writer.Add(LockedAt);
        writer.Add(CreatedAt);
        writer.Add(CertificateId);
        writer.Add(CodeSealedPrivateKey);
        if (DestroyedAt is not null)
        {
            writer.Add(DestroyedAt); // only once destroyed: keys sealed before destruction existed keep their seal
        }
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    public long EmployeeId { get; set; }

    public required string Algorithm { get; set; }

    /// <summary>SubjectPublicKeyInfo, DER.</summary>
    public required byte[] PublicKey { get; set; }

    /// <summary>nonce ‖ tag ‖ AES-256-GCM(PKCS#8).</summary>
    public required byte[] SealedPrivateKey { get; set; }

    /// <summary>KDF name and parameters, e.g. <c>argon2id;m=65536;t=3;p=2;salt=BASE64</c>.</summary>
    public required string Kdf { get; set; }

    public int FailedAttempts { get; set; }

    public DateTimeOffset? LockedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the private key was destroyed (Pasal 19(g)): the sealed bytes are gone, only the public key stays.</summary>
    public DateTimeOffset? DestroyedAt { get; set; }

    /// <summary>Set when a certificate is issued for this key.</summary>
    public long? CertificateId { get; set; }

    /// <summary>
    /// A second sealed copy for signing with an e-mailed one-time code instead of the passphrase, made only when the
    /// holder turns that on with their passphrase; sealed under a key derived from the master key alone. Null when off.
    /// </summary>
    public byte[]? CodeSealedPrivateKey { get; set; }
}

/// <summary>A signed-in person's session token; only its SHA-256 is stored.</summary>
internal sealed class SessionRecord
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? Origin { get; set; }
}

/// <summary>A create call's idempotency key: the same key from the same caller returns the first result.</summary>
internal sealed class IdempotencyRecord
{
    public long Id { get; set; }

    public required string Principal { get; set; }

    public required string Key { get; set; }

    public required byte[] RequestHash { get; set; }

    public required string Resource { get; set; }

    public long ResourceId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
