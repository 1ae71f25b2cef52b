using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>
/// The RA officer's side (Pasal 9b, 16): approve — which issues the certificate — or return with a reason.
/// The decision, its signature, the certificate, a re-issuance's revocation of the old certificate, the
/// notices and their audit records all commit in one transaction.
/// </summary>
public sealed class EnrollmentReview
{
    public const int MinReasonLength = 5;
    private readonly LifecycleContext _context;
    private readonly DecisionSigner _signer;
    private readonly CertificateIssuance _issuance;
    private readonly CertificateRevocation _revocation;
    private readonly AuthorityRing _ring;
    private readonly Accounts.Invitations _invitations;

    internal EnrollmentReview(LifecycleContext context, DecisionSigner signer, CertificateIssuance issuance, CertificateRevocation revocation, AuthorityRing ring,
        Accounts.Invitations invitations)
    {
        _invitations = invitations;
        _context = context;
        _signer = signer;
        _issuance = issuance;
        _revocation = revocation;
        _ring = ring;
    }

    /// <summary>
    /// Nothing is issued from an application, employee or key whose record fails its seal. Checked before the
    /// transaction, because the alarm is written apart from it (and SQLite has one writer at a time); a row changed
    /// in between still cannot be sealed again by this approval (see <c>SegelDbContext</c>).
    /// </summary>
    private async Task RequireIntactAsync(SegelDbContext db, long id, CancellationToken cancellationToken)
    {
        EnrollmentRecord? enrollment = await db.Enrollments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (enrollment is null)
        {
            return; // the transaction's own lookup says so, in its words
        }
        DateTimeOffset now = _context.Time.GetUtcNow();
        await IntegrityAlarm.RequireIntactAsync(db, enrollment, "issue-a-certificate", now, cancellationToken);
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == enrollment.EmployeeId, cancellationToken);
        await IntegrityAlarm.RequireIntactAsync(db, employee, "issue-a-certificate", now, cancellationToken);
        foreach (long keyId in new[] { enrollment.HolderKeyId, enrollment.EncryptionKeyId }.OfType<long>())
        {
            if (await db.HolderKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken) is { } key)
            {
                await IntegrityAlarm.RequireIntactAsync(db, key, "issue-a-certificate", now, cancellationToken);
            }
        }
    }

    public async Task<(EnrollmentSnapshot Enrollment, CertificateView Certificate)> ApproveAsync(long id, string? passphrase, Principal officer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officer);
        officer.Require(Role.RaOfficer, "approve-applications");
        using OfficerKey officerKey = await _signer.UnlockAsync(_context.Database, officer, passphrase, cancellationToken);
        await using SegelDbContext db = _context.Database.CreateContext();
        await RequireIntactAsync(db, id, cancellationToken);
        // The certificate is signed before the transaction — by an upstream CA it takes a network exchange, which must
        // not hold the database — from what the application says now; the transaction then requires it unchanged.
        (CertificateRequestFor request, int revision) = await RequestForAsync(db, id, officer, cancellationToken);
        bool paired = request.EncryptionKey is not null;
        await using PreparedCertificate prepared = await _issuance.PrepareAsync(request.PublicKey, request.Details, request.Profile, cancellationToken, signingOnly: paired);
        // Issue 23.5: a holder with a separate encryption key gets its certificate with the signing one, signed before the transaction too.
        await using PreparedCertificate? preparedEncryption = paired
            ? await _issuance.PrepareAsync(request.EncryptionKey!, request.Details, CertificateProfile.Encryption, cancellationToken)
            : null;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        EnrollmentRecord enrollment = await LoadSubmittedAsync(db, id, officer, cancellationToken);
        if (enrollment.Revision != revision)
        {
            throw SegelException.Conflict(Localized.Of("Error.ApplicationChangedWhileBeingApproved", id));
        }
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == enrollment.EmployeeId, cancellationToken);
        var documents = await db.Documents.AsNoTracking().Where(d => d.EnrollmentId == id && !d.Superseded)
            .OrderBy(d => d.Kind).Select(d => new { d.Kind, d.Sha256 }).ToListAsync(cancellationToken);

        DecisionRecord decision = _signer.Sign(officerKey, "enrollment", id, "approved", new
        {
            employee = employee.Nip,
            kind = enrollment.Kind.ToName(),
            profile = enrollment.Profile,
            documents = documents.Select(d => new { kind = d.Kind.ToName(), sha256 = Convert.ToHexString(d.Sha256) }),
            agreement = new { version = enrollment.AgreementVersion, sha256 = Convert.ToHexString(enrollment.AgreementSha256!) },
        });
        db.Decisions.Add(decision);

        HolderKeyRecord? key = enrollment.HolderKeyId is long keyId ? await db.HolderKeys.SingleAsync(k => k.Id == keyId, cancellationToken) : null;
        Actor actor = officer.ToActor();
        IssuedCertificate issued = _issuance.Record(db, prepared, request.Profile, actor, key is null ? "csr" : "segel", IssuanceGrounds.Ra(employee.Id));
        HolderKeyRecord? encryptionKey = null;
        IssuedCertificate? encryption = null;
        if (preparedEncryption is not null)
        {
            encryptionKey = await db.HolderKeys.SingleAsync(k => k.Id == enrollment.EncryptionKeyId, cancellationToken);
            encryption = _issuance.Record(db, preparedEncryption, CertificateProfile.Encryption, actor, "segel-escrowed", IssuanceGrounds.Ra(employee.Id));
        }

        LoadedAuthority? revokedIssuer = null;
        CertificateRecord? revokedOld = null;
        if (enrollment.Kind == EnrollmentKind.Reissue && enrollment.ReplacesCertificateId is long oldId)
        {
            // Pasal 15(4): the lost key's certificate goes in the same transaction as the new one's approval.
            CertificateRecord old = await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == oldId, cancellationToken);
            if (old.RevokedAt is null)
            {
                revokedIssuer = await _ring.FindByIdAsync(old.IssuerId, cancellationToken)
                    ?? throw SegelException.NotFound(Localized.Of("Error.OldCertificateIssuerNotKnown"));
                await _revocation.RevokeIntoAsync(db, old, revokedIssuer, RevocationReason.Superseded, actor, cancellationToken);
                revokedOld = old;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        // A new holder gets a portal account with a link to set its password (issue 19.8): the e-mail says how in.
        Accounts.PortalAccess? access = await _invitations.PrepareIntoAsync(db, employee, actor, cancellationToken);
        if (key is not null)
        {
            key.CertificateId = issued.Record.Id;
        }
        if (encryption is not null)
        {
            encryption.Record.PairedCertificateId = issued.Record.Id;
            encryptionKey!.CertificateId = encryption.Record.Id;
        }
        DateTimeOffset now = _context.Time.GetUtcNow();
        ApplicationFlow.Move(enrollment, EnrollmentState.Approved);
        enrollment.CertificateId = issued.Record.Id;
        enrollment.DecidedAt = now;
        enrollment.DecidedBy = officer.Name;
        enrollment.RejectionReason = null;
        enrollment.UpdatedAt = now;
        enrollment.Revision++;
        AuditLog.Record(db, _context.Time, actor, "enrollment.approved", $"enrollment:{id}",
            new { certificate = issued.Record.SerialHex, encryptionCertificate = encryption?.Record.SerialHex, decisionSha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(decision.Cms)) });
        string baseUrl = _context.Options.PublicBaseUrl.TrimEnd('/');
        object[] values = [employee.Name, issued.Record.SerialHex, MailMessages.Date(issued.Record.NotAfter, LifecycleContext.Language), _context.Organization, baseUrl];
        _context.Outbox.Enqueue(db, MailMessages.Compose("CertificateIssued", enrollment.HolderEmail, LifecycleContext.Language,
            [.. values, HolderNextStep(access, baseUrl)]));
        if (!string.Equals(enrollment.HolderEmail, enrollment.ContactEmail, StringComparison.OrdinalIgnoreCase))
        {
            // The agency head (or whoever they named) hears what the holder does next, not the holder's link.
            _context.Outbox.Enqueue(db, MailMessages.Compose("CertificateIssuedContact", enrollment.ContactEmail, LifecycleContext.Language,
                [.. values, MailMessages.Text(access?.Invited == true ? "NextStep.HeadInvited" : "NextStep.HeadSignIn", LifecycleContext.Language, employee.Name, baseUrl)]));
        }
        await LifecycleContext.SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await prepared.ConfirmAsync();
        if (preparedEncryption is not null)
        {
            await preparedEncryption.ConfirmAsync();
        }
        _context.Outbox.NotifyQueued();
        if (revokedIssuer is not null)
        {
            await _revocation.PublishAsync(revokedIssuer, revokedOld!, cancellationToken);
        }
        string issuer = (await _ring.FindByIdAsync(issued.Record.IssuerId, cancellationToken))?.Slug ?? "?";
        return (EnrollmentSnapshot.Of(enrollment), CertificateView.Of(issued.Record, issuer, _context.Time.GetUtcNow(), includePem: false));
    }

    private sealed record CertificateRequestFor(PublicKey PublicKey, HolderDetails Details, CertificateProfile Profile, PublicKey? EncryptionKey);

    /// <summary>
    /// What the approval will certify, read outside the transaction with the checks that refuse it, so nothing is
    /// sent to an upstream CA for an application that cannot be approved; and the revision it was read at.
    /// </summary>
    private static async Task<(CertificateRequestFor Request, int Revision)> RequestForAsync(SegelDbContext db, long id, Principal officer, CancellationToken cancellationToken)
    {
        EnrollmentRecord enrollment = await LoadSubmittedAsync(db, id, officer, cancellationToken);
        db.Entry(enrollment).State = EntityState.Detached;
        // Pasal 7: never issue without the holder's recorded acceptance, whatever path led here.
        List<Localized> missing = await Enrollments.MissingAsync(db, enrollment, cancellationToken);
        if (missing.Count > 0)
        {
            throw SegelException.Refused(Localized.Of("Error.ApplicationCannotApproved", id, string.Join("; ", missing)));
        }
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == enrollment.EmployeeId, cancellationToken);
        string unit = await HoldersOnFile.UnitOfAsync(db, employee, cancellationToken);
        HolderKeyRecord? key = enrollment.HolderKeyId is long keyId ? await db.HolderKeys.AsNoTracking().SingleAsync(k => k.Id == keyId, cancellationToken) : null;
        PublicKey publicKey = key is not null ? HolderKeyVault.PublicKeyOf(key) : SigningRequest.Load(enrollment.Csr!).PublicKey;
        HolderKeyRecord? encryption = enrollment.EncryptionKeyId is long encryptionId
            ? await db.HolderKeys.AsNoTracking().SingleAsync(k => k.Id == encryptionId, cancellationToken) : null;
        return (new CertificateRequestFor(publicKey, new HolderDetails(employee.Name, enrollment.HolderEmail, unit, employee.Nip),
            CertificateStatusText.ParseHolderProfile(enrollment.Profile), encryption is null ? null : HolderKeyVault.PublicKeyOf(encryption)), enrollment.Revision);
    }

    /// <summary>How the holder gets into the portal: the invitation link for a new account, else sign in with the one they have.</summary>
    private static string HolderNextStep(Accounts.PortalAccess? access, string baseUrl) => access switch
    {
        { Invited: true } => MailMessages.Text("NextStep.Invited", LifecycleContext.Language, access.Username, access.InvitationLink!,
            MailMessages.Date(access.ExpiresAt!.Value, LifecycleContext.Language)),
        not null => MailMessages.Text("NextStep.SignIn", LifecycleContext.Language, access.Username, baseUrl),
        null => MailMessages.Text("NextStep.AskAdministrator", LifecycleContext.Language, baseUrl),
    };

    public Task<EnrollmentSnapshot> RejectAsync(long id, string? reason, string? passphrase, Principal officer, CancellationToken cancellationToken = default) =>
        RejectAsync(id, reason, null, passphrase, officer, cancellationToken);

    /// <summary>
    /// Sends the application back with a reason; <paramref name="documents"/> names the documents that must be replaced
    /// (an unreadable KTP scan), recorded in the signed decision, so the checklist marks exactly those until new ones come.
    /// </summary>
    public async Task<EnrollmentSnapshot> RejectAsync(long id, string? reason, IReadOnlyCollection<string>? documents, string? passphrase, Principal officer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officer);
        officer.Require(Role.RaOfficer, "reject-applications");
        string why = CheckReason(reason);
        List<DocumentKind> named = [.. (documents ?? []).Where(d => !string.IsNullOrWhiteSpace(d)).Select(LifecycleTerms.ParseDocument).Distinct().Order()];
        using OfficerKey officerKey = await _signer.UnlockAsync(_context.Database, officer, passphrase, cancellationToken);
        await using SegelDbContext db = _context.Database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        EnrollmentRecord enrollment = await LoadSubmittedAsync(db, id, officer, cancellationToken);
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == enrollment.EmployeeId, cancellationToken);
        foreach (DocumentKind other in named.Where(k => !DocumentIntake.RequiredFor(enrollment.Kind).Contains(k)))
        {
            throw SegelException.Invalid("documents", Localized.Of("Error.ApplicationNoDocumentSendBack", enrollment.Kind.ToName(), other.ToName()));
        }
        // Each named document with the hash of the file sent back: the mark goes when a different file replaces it.
        var current = await db.Documents.AsNoTracking().Where(d => d.EnrollmentId == id && !d.Superseded)
            .Select(d => new { d.Kind, d.Sha256 }).ToListAsync(cancellationToken);
        var returned = named.Select(k => new
        {
            kind = k.ToName(),
            sha256 = current.FirstOrDefault(d => d.Kind == k) is { } file ? Convert.ToHexString(file.Sha256) : null,
        }).ToArray();
        DecisionRecord decision = _signer.Sign(officerKey, "enrollment", id, "rejected", new { employee = employee.Nip, reason = why, documents = returned });
        db.Decisions.Add(decision);
        DateTimeOffset now = _context.Time.GetUtcNow();
        ApplicationFlow.Move(enrollment, EnrollmentState.Rejected);
        enrollment.Rejections++;
        enrollment.RejectionReason = why;
        enrollment.DecidedAt = now;
        enrollment.DecidedBy = officer.Name;
        enrollment.UpdatedAt = now;
        enrollment.Revision++;
        AuditLog.Record(db, _context.Time, officer.ToActor(), "enrollment.rejected", $"enrollment:{id}", new { reason = why, documents = named.Select(k => k.ToName()).ToArray() });
        // The documents to replace named in the notice too, in words, so the agency knows what to bring without opening the portal.
        string replace = named.Count == 0 ? "" : MailMessages.Text("ReturnedDocuments", LifecycleContext.Language,
            string.Join(", ", named.Select(k => MailMessages.Text("Document." + k.ToName(), LifecycleContext.Language))));
        _context.Outbox.Enqueue(db, MailMessages.Compose("ApplicationRejected", enrollment.ContactEmail, LifecycleContext.Language,
            employee.Name, id, why, _context.Organization, replace));
        await LifecycleContext.SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        _context.Outbox.NotifyQueued();
        return EnrollmentSnapshot.Of(enrollment);
    }

    /// <summary>The documents a signed send-back decision names, each with the hash of the file sent back (none in decisions made before they were named).</summary>
    internal static List<(DocumentKind Kind, string? Sha256)> ReturnedDocuments(byte[] payload)
    {
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        if (!json.RootElement.TryGetProperty("statement", out var statement) || !statement.TryGetProperty("documents", out var named)
            || named.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return [];
        }
        return [.. named.EnumerateArray().Select(d => (LifecycleTerms.ParseDocument(d.GetProperty("kind").GetString()),
            d.TryGetProperty("sha256", out var hash) && hash.ValueKind == System.Text.Json.JsonValueKind.String ? hash.GetString() : null))];
    }

    public static string CheckReason(string? reason)
    {
        string why = (reason ?? "").Trim();
        if (why.Length < MinReasonLength || why.Length > 2000)
        {
            throw SegelException.Invalid("reason", Localized.Of("Error.GiveReason2000CharactersAgency", MinReasonLength));
        }
        return why;
    }

    private static async Task<EnrollmentRecord> LoadSubmittedAsync(SegelDbContext db, long id, Principal officer, CancellationToken cancellationToken)
    {
        EnrollmentRecord enrollment = await db.Enrollments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchApplication", id));
        if (enrollment.State != EnrollmentState.Submitted)
        {
            throw SegelException.Conflict(Localized.Of("Error.ApplicationNotWaitingDecision", id, enrollment.State.ToName()));
        }
        if (officer.EmployeeId == enrollment.EmployeeId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.RaOfficerNotDecideTheir"));
        }
        return enrollment;
    }
}
