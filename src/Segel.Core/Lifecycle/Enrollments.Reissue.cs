using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>A holder's own request for re-issuance after a forgotten passphrase: the direct superior's statement (Pasal 15(4)).</summary>
public sealed record HolderReissue(byte[]? SuperiorStatement, string? FileName);

/// <summary>The holder's own open re-issuance, as their page shows it: waiting for the e-mailed confirmation, ready to send, or with the RA.</summary>
public sealed record OwnReissueView(long Id, string State, bool Confirmed, string? RejectionReason);

public sealed partial class Enrollments
{
    /// <summary>
    /// A holder who forgot the passphrase applies for re-issuance themselves (Pasal 15(4), issue 20.5): the direct superior's
    /// signed statement is the only new document; the rest of the file — request letter, recommendation, registration form,
    /// KTP, appointment decree, the agency's contact address — is reused from the holder's last approved application, copied
    /// as it was (still sealed, under the same hashes). The holder then confirms by the e-mailed code, choosing a new
    /// passphrase for the new key, and sends the application; the RA reviews it as any other, and approval revokes the
    /// certificate whose key was lost.
    /// </summary>
    public async Task<EnrollmentSnapshot> StartReissueAsync(HolderReissue request, Principal holder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(holder);
        holder.Require(Role.Subscriber, "apply-for-re-issuance-of-their-own-certificate");
        long employeeId = holder.EmployeeId ?? throw SegelException.Forbidden(Localized.Of("Error.NotLinkedEmployeeRecordHolds", holder.Name));
        AcceptedDocument statement = request.SuperiorStatement is { Length: > 0 } bytes
            ? DocumentIntake.Accept(DocumentKind.SuperiorStatement, bytes, request.FileName)
            : throw SegelException.Invalid("statement", Localized.Of("Error.AttachStatementSignedYourDirect"));
        await using SegelDbContext db = _context.Database.CreateContext();
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == employeeId, cancellationToken);
        RequireServing(employee);
        DateTimeOffset now = Now;
        CertificateRecord current = await db.Certificates.AsNoTracking()
            .Where(c => c.EmployeeId == employeeId && c.PairedCertificateId == null && c.RevokedAt == null && c.NotAfter > now).OrderByDescending(c => c.NotAfter).FirstOrDefaultAsync(cancellationToken)
            ?? throw SegelException.Refused(Localized.Of("Error.YouHoldNoValidCertificate"));
        EnrollmentRecord last = await db.Enrollments.AsNoTracking()
            .Where(e => e.EmployeeId == employeeId && e.State == EnrollmentState.Approved).OrderByDescending(e => e.DecidedAt).ThenByDescending(e => e.Id)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw SegelException.Refused(Localized.Of("Error.SegelNoApprovedApplicationYours"));
        if (last.AgencyId != employee.AgencyId)
        {
            throw SegelException.Refused(Localized.Of("Error.YourLastApprovedApplicationMade"));
        }
        if (await OpenApplicationAsync(db, employeeId, cancellationToken) is long openId)
        {
            throw SegelException.Conflict(Localized.Of("Error.EmployeeAlreadyOpenApplicationContinue", employee.Nip, openId));
        }
        List<DocumentRecord> reused = await db.Documents.AsNoTracking()
            .Where(d => d.EnrollmentId == last.Id && !d.Superseded && d.Kind != DocumentKind.SuperiorStatement).ToListAsync(cancellationToken);
        string holderEmail = await _context.OfficialEmailAsync(employee.Email, "email", cancellationToken);

        var enrollment = new EnrollmentRecord
        {
            EmployeeId = employeeId,
            AgencyId = employee.AgencyId,
            Kind = EnrollmentKind.Reissue,
            State = EnrollmentState.Draft,
            Profile = last.Profile,
            ContactEmail = last.ContactEmail,
            HolderEmail = holderEmail,
            CreatedBy = holder.Name,
            CreatedAt = now,
            UpdatedAt = now,
            ReplacesCertificateId = current.Id,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Enrollments.Add(enrollment);
        await db.SaveChangesAsync(cancellationToken);
        foreach (DocumentRecord document in reused)
        {
            db.Documents.Add(new DocumentRecord
            {
                EnrollmentId = enrollment.Id,
                Kind = document.Kind,
                ContentType = document.ContentType,
                Size = document.Size,
                Sha256 = document.Sha256,
                Content = document.Content, // sealed bound to its hash, not its row: the copy opens where it now stands
                Sealed = document.Sealed,
                FileName = document.FileName,
                UploadedBy = document.UploadedBy,
                UploadedAt = document.UploadedAt,
            });
        }
        DocumentRecord statementRecord = DocumentSealing.NewRecord(_context.PersonalData, statement, holder.Name, now);
        statementRecord.EnrollmentId = enrollment.Id;
        db.Documents.Add(statementRecord);
        string code = IssueCode(enrollment, now);
        AuditLog.Record(db, _context.Time, holder.ToActor(), "enrollment.created", $"enrollment:{enrollment.Id}", new
        {
            employee = employee.Nip,
            kind = EnrollmentKind.Reissue.ToName(),
            profile = enrollment.Profile,
            contact = enrollment.ContactEmail,
            keySource = "segel",
            replaces = current.SerialHex,
            reusedFrom = last.Id,
            reused = reused.Select(d => d.Kind.ToName()).ToArray(),
            statementSha256 = Convert.ToHexString(statement.Sha256),
        });
        QueueCodeMail(db, enrollment, employee, code);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        _context.Outbox.NotifyQueued();
        return EnrollmentSnapshot.Of(enrollment);
    }

    /// <summary>The holder's own re-issuance still open (draft, with the RA, or sent back), or null.</summary>
    public async Task<OwnReissueView?> OwnReissueAsync(Principal holder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holder);
        if (!holder.Has(Role.Subscriber) || holder.EmployeeId is not long employeeId)
        {
            return null;
        }
        await using SegelDbContext db = _context.Database.CreateContext();
        EnrollmentRecord? found = await db.Enrollments.AsNoTracking()
            .Where(e => e.EmployeeId == employeeId && e.Kind == EnrollmentKind.Reissue && e.CreatedBy == holder.Name && OpenStates.Contains(e.State))
            .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : new OwnReissueView(found.Id, found.State.ToName(), found.EmailConfirmedAt is not null && found.AgreementAcceptedAt is not null, found.RejectionReason);
    }

    /// <summary>The holder's own re-issuance (<see cref="StartReissueAsync"/>), which they — not an agency head — send to the RA.</summary>
    private static bool HoldersOwnReissue(EnrollmentRecord enrollment, Principal by) =>
        enrollment.Kind == EnrollmentKind.Reissue && by.Has(Role.Subscriber) && by.EmployeeId == enrollment.EmployeeId && enrollment.CreatedBy == by.Name;
}
