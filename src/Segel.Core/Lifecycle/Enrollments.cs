using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

public sealed record NewEnrollment(string? Nip, string? ContactEmail, string? Kind = null, string? Profile = null, string? Csr = null);

/// <summary>The holder's step (Pasal 7, 14(f)–(g)): the code from the e-mail, the agreement version read, and — when Segel keeps the key — a passphrase.</summary>
public sealed record HolderConfirmation(string? Code, int? AgreementVersion, string? Passphrase);

/// <summary>
/// The agency's and the holder's side of an application: an agency head applies for an employee of their own
/// agency, attaches the Pasal 14 documents and submits; the holder confirms the official e-mail with the code
/// sent to it and accepts the subscriber agreement. Every step is one transaction with its audit record.
/// </summary>
public sealed partial class Enrollments
{
    public const string Resource = "enrollment";
    public const int MaxCodeAttempts = 5;
    private const string CodePurpose = "enrollment-code";
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(1);
    private readonly LifecycleContext _context;
    private readonly HolderKeyVault _vault;
    private readonly SubscriberAgreements _agreements;
    private readonly bool _issuesPairs;

    internal Enrollments(LifecycleContext context, HolderKeyVault vault, SubscriberAgreements agreements, bool issuesPairs)
    {
        _issuesPairs = issuesPairs;
        _context = context;
        _vault = vault;
        _agreements = agreements;
    }

    private DateTimeOffset Now => _context.Time.GetUtcNow();

    public async Task<EnrollmentSnapshot> CreateAsync(NewEnrollment request, Principal by, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead, "apply-for-certificates");
        string? key = Idempotency.Normalize(idempotencyKey);
        byte[] requestHash = Idempotency.HashOf(request);
        await using SegelDbContext db = _context.Database.CreateContext();
        if (await Idempotency.FindAsync(db, by, key, requestHash, Resource, cancellationToken) is long earlier)
        {
            return EnrollmentSnapshot.Of(await db.Enrollments.AsNoTracking().SingleAsync(e => e.Id == earlier, cancellationToken));
        }

        EnrollmentKind kind = LifecycleTerms.ParseKind(request.Kind);
        CertificateProfile profile = CertificateStatusText.ParseHolderProfile(request.Profile);
        string contact = await _context.OfficialEmailAsync(request.ContactEmail, "contactEmail", cancellationToken);
        byte[]? csr = ParseCsr(request.Csr);
        EmployeeRecord employee = await db.EmployeeByNipAsync(request.Nip, cancellationToken);
        if (by.AgencyId != employee.AgencyId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.ApplyEmployeesTheirOwnAgency", by.Name, employee.Nip));
        }
        RequireServing(employee);
        string holderEmail = await _context.OfficialEmailAsync(employee.Email, "email", cancellationToken);
        DateTimeOffset now = Now;

        long? openId = await OpenApplicationAsync(db, employee.Id, cancellationToken);
        if (openId is not null)
        {
            // The same request under the same key may have committed after our first look (two nodes at once):
            // then that application is the answer, not a conflict.
            if (await Idempotency.FindAsync(db, by, key, requestHash, Resource, cancellationToken) is long winner)
            {
                return EnrollmentSnapshot.Of(await db.Enrollments.AsNoTracking().SingleAsync(e => e.Id == winner, cancellationToken));
            }
            throw SegelException.Conflict(Localized.Of("Error.EmployeeAlreadyOpenApplicationContinue", employee.Nip, openId));
        }
        CertificateRecord? current = await db.Certificates.AsNoTracking()
            .Where(c => c.EmployeeId == employee.Id && c.PairedCertificateId == null && c.RevokedAt == null && c.NotAfter > now) // not an encryption certificate
            .OrderByDescending(c => c.NotAfter).FirstOrDefaultAsync(cancellationToken);
        if (kind == EnrollmentKind.New && current is not null)
        {
            throw SegelException.Conflict(Localized.Of("Error.EmployeeAlreadyHoldsValidCertificate", employee.Nip, current.SerialHex));
        }
        if (kind != EnrollmentKind.New && current is null)
        {
            throw SegelException.Refused(Localized.Of("Error.EmployeeHoldsNoValidCertificate", employee.Nip, (kind == EnrollmentKind.Renewal ? "renew" : "re-issue")));
        }

        var enrollment = new EnrollmentRecord
        {
            EmployeeId = employee.Id,
            AgencyId = employee.AgencyId,
            Kind = kind,
            State = EnrollmentState.Draft,
            Profile = profile.ToName(),
            ContactEmail = contact,
            HolderEmail = holderEmail,
            CreatedBy = by.Name,
            CreatedAt = now,
            UpdatedAt = now,
            ReplacesCertificateId = current?.Id,
            Csr = csr,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Enrollments.Add(enrollment);
        await db.SaveChangesAsync(cancellationToken);
        string code = IssueCode(enrollment, now);
        Idempotency.Remember(db, by, key, requestHash, Resource, enrollment.Id, now);
        AuditLog.Record(db, _context.Time, by.ToActor(), "enrollment.created", $"enrollment:{enrollment.Id}",
            new { employee = employee.Nip, kind = kind.ToName(), profile = enrollment.Profile, contact, keySource = csr is null ? "segel" : "csr", replaces = current?.SerialHex });
        QueueCodeMail(db, enrollment, employee, code);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (key is not null && SegelDatabase.IsUniqueViolation(e))
        {
            // The same request arrived twice at once and the other one won: answer with its result.
            await tx.RollbackAsync(cancellationToken);
            long id = await Idempotency.WinnerAsync(_context.Database, by, key, requestHash, Resource, cancellationToken);
            await using SegelDbContext again = _context.Database.CreateContext();
            return EnrollmentSnapshot.Of(await again.Enrollments.AsNoTracking().SingleAsync(x => x.Id == id, cancellationToken));
        }
        _context.Outbox.NotifyQueued();
        return EnrollmentSnapshot.Of(enrollment);
    }

    public async Task<DocumentSummary> AttachAsync(long id, DocumentKind kind, byte[] content, string? fileName, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead, "attach-documents-to-applications");
        if (kind == DocumentKind.RevocationLetter)
        {
            throw SegelException.Invalid("kind", Localized.Of("Error.RevocationLetterBelongsRevocationRequest"));
        }
        AcceptedDocument document = DocumentIntake.Accept(kind, content, fileName);
        await using SegelDbContext db = _context.Database.CreateContext();
        EnrollmentRecord enrollment = await LoadEditableAsync(db, id, by, "change-applications", cancellationToken);
        if (kind == DocumentKind.SuperiorStatement && enrollment.Kind != EnrollmentKind.Reissue)
        {
            throw SegelException.Invalid("kind", Localized.Of("Error.SuperiorStatementNeededReIssuance"));
        }
        DateTimeOffset now = Now;
        await db.Documents.Where(d => d.EnrollmentId == id && d.Kind == kind && !d.Superseded)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Superseded, true), cancellationToken);
        DocumentRecord record = DocumentSealing.NewRecord(_context.PersonalData, document, by.Name, now);
        record.EnrollmentId = id;
        db.Documents.Add(record);
        Touch(enrollment, now);
        AuditLog.Record(db, _context.Time, by.ToActor(), "enrollment.document-attached", $"enrollment:{id}",
            new { kind = kind.ToName(), type = document.ContentType, size = document.Content.Length, sha256 = Convert.ToHexString(document.Sha256) });
        await LifecycleContext.SaveAsync(db, cancellationToken);
        return DocumentSummary.Of(record);
    }

    public async Task ResendCodeAsync(long id, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead, "resend-confirmation-codes");
        await using SegelDbContext db = _context.Database.CreateContext();
        EnrollmentRecord enrollment = await LoadEditableAsync(db, id, by, "change-applications", cancellationToken);
        if (enrollment.EmailConfirmedAt is not null)
        {
            throw SegelException.Conflict(Localized.Of("Error.HolderAlreadyConfirmedApplication", id));
        }
        DateTimeOffset now = Now;
        if (enrollment.CodeSentAt is { } sent && now - sent < ResendAfter)
        {
            throw SegelException.Refused(Localized.Of("Error.CodeSentLessMinuteAgo"));
        }
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == enrollment.EmployeeId, cancellationToken);
        string code = IssueCode(enrollment, now);
        Touch(enrollment, now);
        AuditLog.Record(db, _context.Time, by.ToActor(), "enrollment.code-sent", $"enrollment:{id}", new { to = enrollment.HolderEmail });
        QueueCodeMail(db, enrollment, employee, code);
        await LifecycleContext.SaveAsync(db, cancellationToken);
        _context.Outbox.NotifyQueued();
    }

    /// <summary>The holder's confirmation. No sign-in: the code proves the person controls the official e-mail.</summary>
    public async Task ConfirmAsync(long id, HolderConfirmation confirmation, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        AgreementRecord agreement = await _agreements.CurrentRecordAsync(cancellationToken);
        await using SegelDbContext db = _context.Database.CreateContext();
        EnrollmentRecord enrollment = await db.Enrollments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchApplication", id));
        var actor = new Actor($"holder:{enrollment.HolderEmail}", origin);
        if (!ApplicationFlow.IsOpen(enrollment.State))
        {
            throw SegelException.Conflict(Localized.Of("Error.ApplicationNoLongerConfirmed", id, enrollment.State.ToName()));
        }
        if (enrollment.EmailConfirmedAt is not null)
        {
            throw SegelException.Conflict(Localized.Of("Error.ApplicationAlreadyConfirmedHolder", id));
        }
        DateTimeOffset now = Now;
        if (enrollment.CodeHash is null || enrollment.CodeExpiresAt < now)
        {
            throw SegelException.Refused(Localized.Of("Error.ConfirmationCodeExpiredAskYour"));
        }
        // The attempt is claimed by one conditional update before the code is checked, so parallel guesses get no more
        // than MaxCodeAttempts between them; a right code gives its claim back (what fails after it is not a guess).
        if (await db.Enrollments.Where(e => e.Id == id && e.CodeAttempts < MaxCodeAttempts)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.CodeAttempts, e => e.CodeAttempts + 1), cancellationToken) == 0)
        {
            throw SegelException.Refused(Localized.Of("Error.TooManyWrongCodesAsk"));
        }
        string code = (confirmation.Code ?? "").Trim().ToUpperInvariant().Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (code.Length > 64 || !CryptographicOperations.FixedTimeEquals(CodeHash(id, code), enrollment.CodeHash))
        {
            int attempts = await db.Enrollments.Where(e => e.Id == id).Select(e => e.CodeAttempts).SingleAsync(cancellationToken);
            AuditLog.Record(db, _context.Time, actor, "enrollment.code-wrong", $"enrollment:{id}", new { attempts });
            if (attempts == MaxCodeAttempts)
            {
                SegelMetrics.Locked("confirmation-code");
            }
            await LifecycleContext.SaveAsync(db, cancellationToken);
            throw SegelException.Invalid("code", Localized.Of("Error.ConfirmationCodeWrong"));
        }
        await db.Enrollments.Where(e => e.Id == id && e.CodeAttempts > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.CodeAttempts, e => e.CodeAttempts - 1), cancellationToken);
        if (confirmation.AgreementVersion != agreement.Version)
        {
            throw SegelException.Refused(Localized.Of("Error.ReadAcceptCurrentSubscriberAgreement", agreement.Version));
        }
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == enrollment.EmployeeId, cancellationToken);
        RecoveryKeyRecord? recovery = enrollment.Csr is null ? await EscrowRecipientAsync(db, enrollment, now, cancellationToken) : null;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        string keySource = "csr";
        long? escrowedTo = null;
        if (enrollment.Csr is null)
        {
            string nik = _context.PersonalData.Open(PersonalDataProtector.NikPurpose, employee.NikSealed);
            HolderKeyVault.CheckPassphrase(confirmation.Passphrase, employee.Nip, nik, enrollment.HolderEmail.Split('@')[0]);
            HolderKeyRecord key = _vault.Create(employee.Id, confirmation.Passphrase!);
            db.HolderKeys.Add(key);
            HolderKeyRecord? encryption = recovery is null ? null : _vault.CreateEscrowed(employee.Id, confirmation.Passphrase!, recovery);
            if (encryption is not null)
            {
                db.HolderKeys.Add(encryption);
            }
            await db.SaveChangesAsync(cancellationToken);
            enrollment.HolderKeyId = key.Id;
            enrollment.EncryptionKeyId = encryption?.Id;
            escrowedTo = recovery?.Id;
            keySource = "segel";
        }
        else if (!string.IsNullOrEmpty(confirmation.Passphrase))
        {
            throw SegelException.Invalid("passphrase", Localized.Of("Error.ApplicationCarriesHolderOwnKey"));
        }
        enrollment.EmailConfirmedAt = now;
        enrollment.AgreementVersion = agreement.Version;
        enrollment.AgreementSha256 = agreement.Sha256;
        enrollment.AgreementAcceptedAt = now;
        enrollment.CodeHash = null;
        Touch(enrollment, now);
        AuditLog.Record(db, _context.Time, actor, "enrollment.holder-confirmed", $"enrollment:{id}",
            new { email = enrollment.HolderEmail, agreementVersion = agreement.Version, agreementSha256 = Convert.ToHexString(agreement.Sha256), keySource, escrowedTo });
        await LifecycleContext.SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The recovery key a subscriber's separate encryption key is escrowed to (issue 23.5), or null for one key that signs and
    /// decrypts: when key recovery is not set up, when an upstream CA issues (it cannot be asked for a pair), and for RA officers,
    /// whose keys open the recovery key's shares. Checked against its seal before the transaction, as the alarm is written apart.
    /// </summary>
    private async Task<RecoveryKeyRecord?> EscrowRecipientAsync(SegelDbContext db, EnrollmentRecord enrollment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_issuesPairs || CertificateStatusText.ParseHolderProfile(enrollment.Profile) != CertificateProfile.Subscriber)
        {
            return null;
        }
        RecoveryKeyRecord? recovery = await db.RecoveryKeys.AsNoTracking().Where(k => k.RetiredAt == null).OrderByDescending(k => k.Id).FirstOrDefaultAsync(cancellationToken);
        if (recovery is not null)
        {
            await IntegrityAlarm.RequireIntactAsync(db, recovery, "escrow-a-key", now, cancellationToken);
        }
        return recovery;
    }

    public async Task<EnrollmentSnapshot> SubmitAsync(long id, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead | Role.Subscriber, "submit-applications");
        await using SegelDbContext db = _context.Database.CreateContext();
        EnrollmentRecord enrollment = await LoadEditableAsync(db, id, by, "submit-applications", cancellationToken, HoldersOwnReissue);
        List<Localized> missing = await MissingAsync(db, enrollment, cancellationToken);
        if (missing.Count > 0)
        {
            throw SegelException.Refused(Localized.Of("Error.ApplicationNotComplete", id, missing));
        }
        DateTimeOffset now = Now;
        bool again = enrollment.State == EnrollmentState.Rejected;
        ApplicationFlow.Move(enrollment, EnrollmentState.Submitted);
        enrollment.SubmittedAt = now;
        Touch(enrollment, now);
        AuditLog.Record(db, _context.Time, by.ToActor(), again ? "enrollment.resubmitted" : "enrollment.submitted", $"enrollment:{id}");
        await LifecycleContext.SaveAsync(db, cancellationToken);
        return EnrollmentSnapshot.Of(enrollment);
    }

    public async Task<EnrollmentSnapshot> CancelAsync(long id, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead, "cancel-applications");
        await using SegelDbContext db = _context.Database.CreateContext();
        EnrollmentRecord enrollment = await db.Enrollments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchApplication", id));
        LifecycleContext.RequireOwnAgency(by, enrollment.AgencyId, "cancel-applications");
        if (ApplicationFlow.IsFinal(enrollment.State))
        {
            throw SegelException.Conflict(Localized.Of("Error.ApplicationIsAlready", id, enrollment.State.ToName()));
        }
        ApplicationFlow.Move(enrollment, EnrollmentState.Cancelled);
        Touch(enrollment, Now);
        AuditLog.Record(db, _context.Time, by.ToActor(), "enrollment.cancelled", $"enrollment:{id}");
        await LifecycleContext.SaveAsync(db, cancellationToken);
        return EnrollmentSnapshot.Of(enrollment);
    }

    /// <summary>What still stops the application from being submitted, in words an agency head can act on.</summary>
    internal static async Task<List<Localized>> MissingAsync(SegelDbContext db, EnrollmentRecord enrollment, CancellationToken cancellationToken) =>
        await MissingAsync(db, enrollment, await ReturnedAsync(db, enrollment, cancellationToken), cancellationToken);

    /// <summary>As above, with the documents sent back already looked up (<see cref="ReturnedAsync"/>).</summary>
    internal static async Task<List<Localized>> MissingAsync(SegelDbContext db, EnrollmentRecord enrollment, IReadOnlyList<DocumentKind> returned,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(returned);
        List<DocumentKind> present = await db.Documents.Where(d => d.EnrollmentId == enrollment.Id && !d.Superseded).Select(d => d.Kind).ToListAsync(cancellationToken);
        var missing = DocumentIntake.RequiredFor(enrollment.Kind)
            .Where(k => !present.Contains(k)).Select(k => Localized.Of("Error.DocumentMissing", k.ToName())).ToList();
        missing.AddRange(returned.Select(k => Localized.Of("Error.DocumentSentBack", k.ToName())));
        if (enrollment.EmailConfirmedAt is null)
        {
            missing.Add(Localized.Of("Error.HolderEmailUnconfirmed"));
        }
        if (enrollment.AgreementAcceptedAt is null)
        {
            missing.Add(Localized.Of("Error.HolderAgreementUnaccepted"));
        }
        return missing;
    }

    /// <summary>
    /// The documents the RA officer named when sending the application back (in their signed decision, with the hash of
    /// each file) that have not been replaced by a different file since; empty unless the application is sent back.
    /// </summary>
    internal static async Task<List<DocumentKind>> ReturnedAsync(SegelDbContext db, EnrollmentRecord enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(enrollment);
        if (enrollment.State != EnrollmentState.Rejected)
        {
            return [];
        }
        byte[]? decision = await db.Decisions.AsNoTracking()
            .Where(d => d.SubjectType == "enrollment" && d.SubjectId == enrollment.Id && d.Decision == "rejected")
            .OrderByDescending(d => d.Id).Select(d => d.Payload).FirstOrDefaultAsync(cancellationToken);
        var named = decision is null ? [] : EnrollmentReview.ReturnedDocuments(decision);
        if (named.Count == 0)
        {
            return [];
        }
        var current = await db.Documents.AsNoTracking().Where(d => d.EnrollmentId == enrollment.Id && !d.Superseded)
            .Select(d => new { d.Kind, d.Sha256 }).ToListAsync(cancellationToken);
        // Still the file the officer sent back (or none at all): replaced means a different file now stands there.
        return [.. named.Where(n => current.FirstOrDefault(d => d.Kind == n.Kind) is not { } file || Convert.ToHexString(file.Sha256) == n.Sha256)
            .Select(n => n.Kind)];
    }

    /// <summary>An application the caller may change: their agency's, or one <paramref name="alsoAllowed"/> lets them act on (a holder's own re-issuance).</summary>
    private static async Task<EnrollmentRecord> LoadEditableAsync(SegelDbContext db, long id, Principal by, string action, CancellationToken cancellationToken,
        Func<EnrollmentRecord, Principal, bool>? alsoAllowed = null)
    {
        EnrollmentRecord enrollment = await db.Enrollments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchApplication", id));
        if (alsoAllowed is null || !alsoAllowed(enrollment, by))
        {
            by.Require(Role.AgencyHead, action);
            LifecycleContext.RequireOwnAgency(by, enrollment.AgencyId, action);
        }
        if (!ApplicationFlow.IsOpen(enrollment.State))
        {
            throw SegelException.Conflict(Localized.Of("Error.ApplicationDraftReturnedApplicationChanged", id, enrollment.State.ToName()));
        }
        return enrollment;
    }

    /// <summary>Pasal 17(1): a certificate is for a serving civil servant; refused when the personnel file says this one no longer serves.</summary>
    private static void RequireServing(EmployeeRecord employee)
    {
        if (employee.Status != (int)EmploymentStatus.Active)
        {
            throw SegelException.Refused(Localized.Of("Error.NoLongerServesAccordingPersonnel", employee.Nip));
        }
    }

    /// <summary>The states in which an application is still open: one person has at most one.</summary>
    private static readonly EnrollmentState[] OpenStates = [EnrollmentState.Draft, EnrollmentState.Submitted, EnrollmentState.Rejected];

    private static Task<long?> OpenApplicationAsync(SegelDbContext db, long employeeId, CancellationToken cancellationToken) =>
        db.Enrollments.Where(e => e.EmployeeId == employeeId && OpenStates.Contains(e.State)).Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken);

    private static void Touch(EnrollmentRecord enrollment, DateTimeOffset now)
    {
        enrollment.UpdatedAt = now;
        enrollment.Revision++;
    }

    private static byte[]? ParseCsr(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }
        try
        {
            byte[] bytes = System.Text.Encoding.ASCII.GetBytes(pem);
            _ = SigningRequest.Load(bytes); // proof of possession checked now, so a bad CSR fails at once, not at approval
            return bytes;
        }
        catch (CertificateIssuanceException e)
        {
            throw SegelException.Invalid("csr", Localized.Of("Error.CsrNotUsable", e.Message));
        }
    }

    private string IssueCode(EnrollmentRecord enrollment, DateTimeOffset now)
    {
        string code = RandomNumberGenerator.GetString(CodeAlphabet, 8);
        enrollment.CodeHash = CodeHash(enrollment.Id, code);
        enrollment.CodeSentAt = now;
        enrollment.CodeExpiresAt = now.AddHours(_context.Options.Lifecycle.ConfirmationCodeHours);
        enrollment.CodeAttempts = 0;
        return code;
    }

    private byte[] CodeHash(long id, string code) =>
        _context.PersonalData.Lookup(CodePurpose, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{id}:{code}"));

    private void QueueCodeMail(SegelDbContext db, EnrollmentRecord enrollment, EmployeeRecord employee, string code)
    {
        string link = $"{_context.Options.PublicBaseUrl.TrimEnd('/')}/confirm/{enrollment.Id}?code={code}";
        _context.Outbox.Enqueue(db, MailMessages.Compose("ConfirmationCode", enrollment.HolderEmail, LifecycleContext.Language,
            employee.Name, enrollment.Id, link, code[..4] + "-" + code[4..], MailMessages.Date(enrollment.CodeExpiresAt!.Value, LifecycleContext.Language), _context.Organization));
    }
}
