using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>
/// A revocation asked for. <see cref="Ground"/> names the regulation's ground (<see cref="RevocationGround"/>: transfer,
/// retirement, death, dismissal, misuse, wrong-information, key-lost, key-leaked, sanction, compromise-reported), which fixes
/// the RFC 5280 reason; <see cref="Reason"/> alone is still understood, as the ground it always meant.
/// </summary>
/// <summary>What the former agency's head adds to a proposal to send it on: the signed letter, the address for the answer, a note.</summary>
public sealed record RevocationEndorsement(byte[]? Letter, string? LetterFileName, string? ContactEmail, string? Statement = null);

public sealed record NewRevocationRequest(string? Serial, string? Reason, string? ContactEmail = null, byte[]? Letter = null, string? LetterFileName = null,
    string? Statement = null, string? Passphrase = null, string? Ground = null);

/// <summary>
/// Revocation as the regulation divides it: the agency head requests it for a transfer or retirement with a
/// signed letter, and an RA officer decides (Pasal 17); the holder's report of a suspected compromise takes
/// effect at once and is reviewed afterwards (Pasal 19d); an RA officer revokes as a sanction (Pasal 22).
/// On approval the requesting agency is e-mailed at the address in the request (Pasal 17(4)).
/// </summary>
public sealed class RevocationRequests
{
    public const string Resource = "revocation-request";
    private readonly LifecycleContext _context;
    private readonly DecisionSigner _signer;
    private readonly CertificateRevocation _revocation;
    private readonly AuthorityRing _ring;

    internal RevocationRequests(LifecycleContext context, DecisionSigner signer, CertificateRevocation revocation, AuthorityRing ring)
    {
        _context = context;
        _signer = signer;
        _revocation = revocation;
        _ring = ring;
    }

    public async Task<RevocationRequestSnapshot> CreateAsync(NewRevocationRequest request, Principal by, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead | Role.Subscriber | Role.RaOfficer, "request-revocations");
        string? key = Idempotency.Normalize(idempotencyKey);
        byte[] requestHash = Idempotency.HashOf(request with { Passphrase = null });
        await using SegelDbContext db = _context.Database.CreateContext();
        if (await Idempotency.FindAsync(db, by, key, requestHash, Resource, cancellationToken) is long earlier)
        {
            return RevocationRequestSnapshot.Of(await db.RevocationRequests.AsNoTracking().SingleAsync(r => r.Id == earlier, cancellationToken));
        }
        CertificateRecord target = await CertificateQueries.FindOneAsync(_context.Database, _ring, (request.Serial ?? "").Trim(), null, cancellationToken);
        bool own = by.Has(Role.Subscriber) && by.EmployeeId is long self && self == target.EmployeeId;
        RevocationGround ground = RevocationGrounds.Resolve(request.Ground, request.Reason, own);
        RevocationReason reason = ground.Reason();
        if (target.RevokedAt is not null)
        {
            throw SegelException.Conflict(Localized.Of("Error.CertificateAlreadyRevokedRevocationFinal", target.SerialHex));
        }
        EmployeeRecord? employee = target.EmployeeId is long employeeId
            ? await db.Employees.AsNoTracking().SingleAsync(e => e.Id == employeeId, cancellationToken) : null;
        DateTimeOffset now = _context.Time.GetUtcNow();
        var record = new RevocationRequestRecord
        {
            CertificateId = target.Id,
            EmployeeId = employee?.Id,
            AgencyId = employee?.AgencyId,
            Reason = (int)reason,
            Ground = (int)ground,
            RequestedBy = by.Name,
            CreatedAt = now,
            Statement = string.IsNullOrWhiteSpace(request.Statement) ? null : request.Statement.Trim()[..Math.Min(2000, request.Statement.Trim().Length)],
        };
        AcceptedDocument? letter = null;
        bool immediate;
        if (RevocationGrounds.Agency.Contains(ground) && by.Has(Role.AgencyHead))
        {
            if (employee is null || by.AgencyId != employee.AgencyId)
            {
                throw SegelException.Forbidden(Localized.Of("Error.RequestRevocationEmployeesTheirOwn", by.Name));
            }
            letter = request.Letter is { Length: > 0 } bytes ? DocumentIntake.Accept(DocumentKind.RevocationLetter, bytes, request.LetterFileName)
                : throw SegelException.Invalid("letter", Localized.Of("Error.AttachRequestLetterSignedAgency"));
            record.ContactEmail = await _context.OfficialEmailAsync(request.ContactEmail, "contactEmail", cancellationToken);
            if (await db.RevocationRequests.AnyAsync(r => r.CertificateId == target.Id && r.State == RevocationRequestState.Pending, cancellationToken))
            {
                throw SegelException.Conflict(Localized.Of("Error.RevocationRequestCertificateAlreadyWaiting", target.SerialHex));
            }
            RevocationRequestFlow.Start(record, RevocationRequestState.Pending);
            immediate = false;
        }
        else if (RevocationGrounds.Holder.Contains(ground) && own)
        {
            // Pasal 19(d): a holder's report is enough; waiting for a reviewer would leave a leaked key (or a certificate that
            // names the holder wrongly) usable. The holder can only ever revoke their own.
            record.ContactEmail = target.Email;
            RevocationRequestFlow.Start(record, RevocationRequestState.Effective);
            immediate = true;
        }
        else if (RevocationGrounds.Officer.Contains(ground) && by.Has(Role.RaOfficer))
        {
            record.ContactEmail = request.ContactEmail is { Length: > 0 } ? await _context.OfficialEmailAsync(request.ContactEmail, "contactEmail", cancellationToken) : target.Email;
            RevocationRequestFlow.Start(record, RevocationRequestState.Approved);
            record.DecidedAt = now;
            record.DecidedBy = by.Name;
            immediate = true;
        }
        else
        {
            throw SegelException.Forbidden(
                Localized.Of("Error.NotRequestRevocationGroundAgency", by.Name, ground.ToName()));
        }

        using OfficerKey? officerKey = immediate && record.State == RevocationRequestState.Approved
            ? await _signer.UnlockAsync(_context.Database, by, request.Passphrase, cancellationToken) : null;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.RevocationRequests.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        Idempotency.Remember(db, by, key, requestHash, Resource, record.Id, now);
        if (letter is not null)
        {
            db.Documents.Add(ToDocument(letter, record.Id, by.Name, now));
        }
        AuditLog.Record(db, _context.Time, by.ToActor(), "revocation.requested", $"revocation-request:{record.Id}",
            new { certificate = target.SerialHex, reason = reason.ToRfcName(), ground = ground.ToName(), state = record.State.ToName(), letterSha256 = letter is null ? null : Convert.ToHexString(letter.Sha256) });
        LoadedAuthority? issuer = null;
        if (immediate)
        {
            if (officerKey is not null)
            {
                db.Decisions.Add(_signer.Sign(officerKey, "revocation-request", record.Id, "revoked",
                    new { certificate = target.SerialHex, reason = reason.ToRfcName(), statement = record.Statement }));
            }
            issuer = await IssuerOfAsync(target, cancellationToken);
            await _revocation.RevokeIntoAsync(db, target, issuer, reason, by.ToActor(), cancellationToken);
            QueueRevokedMail(db, record, target, employee, reason);
        }
        try
        {
            await LifecycleContext.SaveAsync(db, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (key is not null && SegelDatabase.IsUniqueViolation(e))
        {
            await tx.RollbackAsync(cancellationToken);
            long id = await Idempotency.WinnerAsync(_context.Database, by, key, requestHash, Resource, cancellationToken);
            await using SegelDbContext again = _context.Database.CreateContext();
            return RevocationRequestSnapshot.Of(await again.RevocationRequests.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken));
        }
        if (issuer is not null)
        {
            _context.Outbox.NotifyQueued();
            await _revocation.PublishAsync(issuer, target, cancellationToken);
        }
        return RevocationRequestSnapshot.Of(record);
    }

    /// <summary>
    /// No decision on a request whose record fails its seal (its certificate, reason or state may have been changed
    /// behind Segel's back). Checked before the transaction, which the alarm must not wait on.
    /// </summary>
    private async Task RequireIntactAsync(SegelDbContext db, long id, CancellationToken cancellationToken)
    {
        if (await db.RevocationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is { } record)
        {
            await IntegrityAlarm.RequireIntactAsync(db, record, "decide-on-this-request", _context.Time.GetUtcNow(), cancellationToken);
        }
    }

    /// <summary>
    /// The former agency's head sends a proposal a personnel import opened (issue 20.3) on to the RA, with the request letter
    /// they signed (Pasal 17(2)) and the address for the answer: it becomes pending, and an RA officer decides as on any
    /// agency request. Only the head of the agency the proposal is for; a proposal is sent once.
    /// </summary>
    public async Task<RevocationRequestSnapshot> EndorseAsync(long id, RevocationEndorsement endorsement, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endorsement);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead, "send-revocation-proposals-on");
        await using SegelDbContext db = _context.Database.CreateContext();
        await RequireIntactAsync(db, id, cancellationToken);
        RevocationRequestRecord found = await db.RevocationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoRevocationRequest", id));
        if (found.AgencyId is not int agencyId || by.AgencyId != agencyId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.SendProposalsTheirOwnAgency", by.Name));
        }
        AcceptedDocument letter = endorsement.Letter is { Length: > 0 } bytes ? DocumentIntake.Accept(DocumentKind.RevocationLetter, bytes, endorsement.LetterFileName)
            : throw SegelException.Invalid("letter", Localized.Of("Error.AttachRequestLetterSignedAgency"));
        string contact = await _context.OfficialEmailAsync(endorsement.ContactEmail, "contactEmail", cancellationToken);
        DateTimeOffset now = _context.Time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        RevocationRequestRecord record = await db.RevocationRequests.SingleAsync(r => r.Id == id, cancellationToken);
        if (record.State != RevocationRequestState.Proposed)
        {
            throw SegelException.Conflict(Localized.Of("Error.RevocationRequestProposalSent", id, record.State.ToName()));
        }
        RevocationRequestFlow.Move(record, RevocationRequestState.Pending);
        record.ContactEmail = contact;
        record.RequestedBy = by.Name; // the head asks now; the import's proposal stays in the audit record
        if (!string.IsNullOrWhiteSpace(endorsement.Statement))
        {
            string statement = endorsement.Statement.Trim();
            record.Statement = statement[..Math.Min(2000, statement.Length)];
        }
        record.Revision++;
        db.Documents.Add(ToDocument(letter, id, by.Name, now));
        string serial = await db.Certificates.Where(c => c.Id == record.CertificateId).Select(c => c.SerialHex).SingleAsync(cancellationToken);
        AuditLog.Record(db, _context.Time, by.ToActor(), "revocation.endorsed", $"revocation-request:{id}",
            new { certificate = serial, ground = record.Ground is int g ? ((RevocationGround)g).ToName() : null, letterSha256 = Convert.ToHexString(letter.Sha256) });
        try
        {
            await LifecycleContext.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw SegelException.Conflict(Localized.Of("Error.RevocationRequestChangedSameMoment", id));
        }
        await tx.CommitAsync(cancellationToken);
        return RevocationRequestSnapshot.Of(record);
    }

    /// <summary>Approves a pending request (revokes now) or records the review of an effective one.</summary>
    public async Task<RevocationRequestSnapshot> ApproveAsync(long id, string? passphrase, Principal officer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officer);
        officer.Require(Role.RaOfficer, "decide-on-revocation-requests");
        using OfficerKey officerKey = await _signer.UnlockAsync(_context.Database, officer, passphrase, cancellationToken);
        await using SegelDbContext db = _context.Database.CreateContext();
        await RequireIntactAsync(db, id, cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        RevocationRequestRecord record = await db.RevocationRequests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoRevocationRequest", id));
        CertificateRecord target = await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == record.CertificateId, cancellationToken);
        var reason = (RevocationReason)record.Reason;
        DateTimeOffset now = _context.Time.GetUtcNow();
        LoadedAuthority? issuer = null;
        if (record.State == RevocationRequestState.Pending)
        {
            db.Decisions.Add(_signer.Sign(officerKey, "revocation-request", id, "approved", new { certificate = target.SerialHex, reason = reason.ToRfcName() }));
            issuer = await IssuerOfAsync(target, cancellationToken);
            await _revocation.RevokeIntoAsync(db, target, issuer, reason, officer.ToActor(), cancellationToken);
            EmployeeRecord? employee = record.EmployeeId is long e ? await db.Employees.AsNoTracking().SingleAsync(x => x.Id == e, cancellationToken) : null;
            QueueRevokedMail(db, record, target, employee, reason);
            RevocationRequestFlow.Move(record, RevocationRequestState.Approved);
        }
        else if (record.State == RevocationRequestState.Effective)
        {
            db.Decisions.Add(_signer.Sign(officerKey, "revocation-request", id, "reviewed", new { certificate = target.SerialHex, reason = reason.ToRfcName() }));
            RevocationRequestFlow.Move(record, RevocationRequestState.Reviewed);
        }
        else
        {
            throw SegelException.Conflict(Localized.Of("Error.RevocationRequestNothingLeftDecide", id, record.State.ToName()));
        }
        record.DecidedAt = now;
        record.DecidedBy = officer.Name;
        record.Revision++;
        AuditLog.Record(db, _context.Time, officer.ToActor(), "revocation.decided", $"revocation-request:{id}",
            new { certificate = target.SerialHex, state = record.State.ToName() });
        await LifecycleContext.SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        if (issuer is not null)
        {
            _context.Outbox.NotifyQueued();
            await _revocation.PublishAsync(issuer, target, cancellationToken);
        }
        return RevocationRequestSnapshot.Of(record);
    }

    public async Task<RevocationRequestSnapshot> RejectAsync(long id, string? reason, string? passphrase, Principal officer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officer);
        officer.Require(Role.RaOfficer, "decide-on-revocation-requests");
        string why = EnrollmentReview.CheckReason(reason);
        using OfficerKey officerKey = await _signer.UnlockAsync(_context.Database, officer, passphrase, cancellationToken);
        await using SegelDbContext db = _context.Database.CreateContext();
        await RequireIntactAsync(db, id, cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        RevocationRequestRecord record = await db.RevocationRequests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoRevocationRequest", id));
        if (record.State is not (RevocationRequestState.Pending or RevocationRequestState.Proposed))
        {
            throw SegelException.Conflict(Localized.Of("Error.RevocationRequestPendingRequestProposal", id, record.State.ToName()));
        }
        CertificateRecord target = await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == record.CertificateId, cancellationToken);
        db.Decisions.Add(_signer.Sign(officerKey, "revocation-request", id, "rejected", new { certificate = target.SerialHex, reason = why }));
        RevocationRequestFlow.Move(record, RevocationRequestState.Rejected);
        record.RejectionReason = why;
        record.DecidedAt = _context.Time.GetUtcNow();
        record.DecidedBy = officer.Name;
        record.Revision++;
        AuditLog.Record(db, _context.Time, officer.ToActor(), "revocation.rejected", $"revocation-request:{id}", new { certificate = target.SerialHex, reason = why });
        if (record.ContactEmail is { } to)
        {
            _context.Outbox.Enqueue(db, MailMessages.Compose("RevocationRejected", to, LifecycleContext.Language, target.CommonName, target.SerialHex, why, _context.Organization));
        }
        await LifecycleContext.SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        _context.Outbox.NotifyQueued();
        return RevocationRequestSnapshot.Of(record);
    }

    private void QueueRevokedMail(SegelDbContext db, RevocationRequestRecord record, CertificateRecord target, EmployeeRecord? employee, RevocationReason reason)
    {
        if (record.ContactEmail is not { } to)
        {
            return;
        }
        _context.Outbox.Enqueue(db, MailMessages.Compose("RevocationApproved", to, LifecycleContext.Language,
            employee?.Name ?? target.CommonName, target.SerialHex, MailMessages.Date(_context.Time.GetUtcNow(), LifecycleContext.Language), reason.ToRfcName(), _context.Organization));
    }

    private DocumentRecord ToDocument(AcceptedDocument letter, long requestId, string by, DateTimeOffset now)
    {
        DocumentRecord record = DocumentSealing.NewRecord(_context.PersonalData, letter, by, now);
        record.RevocationRequestId = requestId;
        return record;
    }

    private async Task<LoadedAuthority> IssuerOfAsync(CertificateRecord target, CancellationToken cancellationToken) =>
        await _ring.FindByIdAsync(target.IssuerId, cancellationToken) ?? throw SegelException.NotFound(Localized.Of("Error.CertificateIssuerNotKnownHere"));
}
