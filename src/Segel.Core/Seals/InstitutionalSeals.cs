using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Core.Seals;

/// <summary>An agency head's application for an institutional seal.</summary>
/// <param name="Name">The seal's name as its certificate will say it, e.g. "Sistem e-Surat Dinas Kesehatan".</param>
/// <param name="Purpose">Which application uses it, for which documents.</param>
public sealed record NewSeal(string? Name, string? Purpose);

/// <summary>An institutional seal as agency heads, RA officers and administrators see it.</summary>
public sealed record SealView(long Id, string AgencyCode, string Agency, string Name, string Purpose, string State, string AppliedBy, DateTimeOffset AppliedAt,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? RejectionReason, string? CertificateSerial, DateTimeOffset? NotAfter, string? CertificateStatus);

/// <summary>
/// Institutional electronic seals (issue 23.2). An agency head applies for a seal for the agency or one of its applications;
/// Segel makes its key pair at once and keeps the private key sealed under the master key; an RA officer approves — signing
/// the decision with their own certificate, as for a person — which issues a <c>seal</c> certificate (the agency and the seal's
/// name, no person), or rejects, which destroys the key. Applications then seal documents with an API token bound to the seal
/// and to their networks (<see cref="Accounts.SealBinding"/>). A seal is the institution's own act, not a person's signature
/// made by someone else: Pasal 15(3)'s rule that a holder may not delegate signing is untouched (docs/documents.md).
/// </summary>
public sealed class InstitutionalSeals
{
    public const int MinPurposeLength = 10;
    public const int MaxPurposeLength = 2000;
    internal const string KeyPurpose = "institutional-seal-key";
    private readonly SegelDatabase _database;
    private readonly CertificateIssuance _issuance;
    private readonly DecisionSigner _signer;
    private readonly PersonalDataProtector _protector;
    private readonly CaSettings _settings;
    private readonly TimeProvider _time;

    internal InstitutionalSeals(SegelDatabase database, CertificateIssuance issuance, DecisionSigner signer, PersonalDataProtector protector, CaSettings settings,
        TimeProvider time)
    {
        _database = database;
        _issuance = issuance;
        _signer = signer;
        _protector = protector;
        _settings = settings;
        _time = time;
    }

    /// <summary>The agency head applies for a seal of their own agency; its key is made now and kept sealed under the master key.</summary>
    public async Task<SealView> ApplyAsync(NewSeal request, Principal head, string? origin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(head);
        head.Require(Role.AgencyHead, "apply-for-seals");
        if (head.AgencyId is not int agencyId)
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotAnotherAgency", head.Name, "apply-for-seals"));
        }
        string name = SubjectValidation.Name(request.Name, "name");
        string purpose = (request.Purpose ?? "").Trim();
        if (purpose.Length is < MinPurposeLength or > MaxPurposeLength)
        {
            throw SegelException.Invalid("purpose", Localized.Of("Error.SealPurposeLength", MinPurposeLength, MaxPurposeLength));
        }
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        // One open application per name; an approved seal of the same name is renewed by applying again before it expires.
        if (await db.InstitutionalSeals.AnyAsync(s => s.AgencyId == agencyId && s.Name == name && s.State == SealState.Applied, cancellationToken))
        {
            throw SegelException.Conflict(Localized.Of("Error.SealNameTaken", name));
        }
        KeyAlgorithm algorithm = _settings.SubscriberAlgorithm;
        using AsymmetricAlgorithm key = algorithm.Generate();
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();
        byte[] spki = key.ExportSubjectPublicKeyInfo();
        var record = new InstitutionalSealRecord
        {
            AgencyId = agencyId,
            Name = name,
            Purpose = purpose,
            State = SealState.Applied,
            AppliedBy = head.Name,
            AppliedAt = now,
            Algorithm = algorithm.ToConfigName(),
            PublicKey = spki,
            // Bound to the public key: a sealed key moved onto another seal's row does not open there.
            SealedPrivateKey = _protector.Seal(KeyPurpose, pkcs8, spki),
        };
        CryptographicOperations.ZeroMemory(pkcs8);
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.InstitutionalSeals.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
            {
                // One open application per name and agency (a partial unique index): two at once, one stands.
                throw SegelException.Conflict(Localized.Of("Error.SealNameTaken", name));
            }
            AuditLog.Record(db, _time, head.ToActor(origin), "seal.applied", $"seal:{record.Id}", new { agency = agencyId, name, purpose });
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        return (await ViewsAsync(db, q => q.Where(s => s.Id == record.Id), cancellationToken))[0];
    }

    /// <summary>
    /// An RA officer approves an applied seal: the decision is signed with their certificate, and the seal's certificate issued,
    /// in one transaction. Of two approvals at once, one issues and the other is told it was decided meanwhile.
    /// </summary>
    public async Task<SealView> ApproveAsync(long id, string? passphrase, Principal officer, string? origin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officer);
        officer.Require(Role.RaOfficer, "approve-seals");
        using OfficerKey officerKey = await _signer.UnlockAsync(_database, officer, passphrase, cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        InstitutionalSealRecord seal = await AppliedAsync(db, id, "approve-seals", cancellationToken);
        AgencyRecord agency = await db.Agencies.AsNoTracking().SingleAsync(a => a.Id == seal.AgencyId, cancellationToken);
        // Signed before the transaction, as for a person's certificate (CertificateIssuance.PrepareAsync).
        await using PreparedCertificate prepared = await _issuance.PrepareSealAsync(PublicKey.CreateFromSubjectPublicKeyInfo(seal.PublicKey, out _), seal.Name, agency.Name,
            cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        Actor actor = officer.ToActor(origin);
        db.Decisions.Add(_signer.Sign(officerKey, "seal", id, "approved", new
        {
            agency = agency.Code,
            name = seal.Name,
            purpose = seal.Purpose,
            publicKeySha256 = Convert.ToHexString(SHA256.HashData(seal.PublicKey)),
        }));
        IssuedCertificate issued = _issuance.Record(db, prepared, Pki.Certificates.CertificateProfile.Seal, actor, "segel", IssuanceGrounds.Seal);
        await db.SaveChangesAsync(cancellationToken);
        DateTimeOffset now = _time.GetUtcNow();
        seal.State = SealState.Approved;
        seal.CertificateId = issued.Record.Id;
        seal.DecidedBy = officer.Name;
        seal.DecidedAt = now;
        AuditLog.Record(db, _time, actor, "seal.approved", $"seal:{id}", new { certificate = issued.Record.SerialHex, agency = agency.Code, name = seal.Name });
        await SaveDecidedAsync(db, id, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await prepared.ConfirmAsync();
        return (await ViewsAsync(db, q => q.Where(s => s.Id == id), cancellationToken))[0];
    }

    /// <summary>An RA officer rejects an applied seal with a reason, in a signed decision; its key is destroyed.</summary>
    public async Task<SealView> RejectAsync(long id, string? reason, string? passphrase, Principal officer, string? origin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officer);
        officer.Require(Role.RaOfficer, "reject-seals");
        string why = EnrollmentReview.CheckReason(reason);
        using OfficerKey officerKey = await _signer.UnlockAsync(_database, officer, passphrase, cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        InstitutionalSealRecord seal = await AppliedAsync(db, id, "reject-seals", cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Decisions.Add(_signer.Sign(officerKey, "seal", id, "rejected", new { name = seal.Name, reason = why }));
        DateTimeOffset now = _time.GetUtcNow();
        seal.State = SealState.Rejected;
        seal.RejectionReason = why;
        seal.DecidedBy = officer.Name;
        seal.DecidedAt = now;
        seal.SealedPrivateKey = [];
        seal.KeyDestroyedAt = now;
        AuditLog.Record(db, _time, officer.ToActor(origin), "seal.rejected", $"seal:{id}", new { reason = why });
        await SaveDecidedAsync(db, id, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return (await ViewsAsync(db, q => q.Where(s => s.Id == id), cancellationToken))[0];
    }

    /// <summary>Seals: an agency head sees their agency's; RA officers, administrators and auditors all.</summary>
    public async Task<IReadOnlyList<SealView>> ListAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead | Role.RaOfficer | Role.Admin | Role.Auditor, "see-seals");
        int? only = by.Has(Role.RaOfficer | Role.Admin | Role.Auditor) ? null : by.AgencyId ?? -1;
        await using SegelDbContext db = _database.CreateContext();
        return await ViewsAsync(db, q => only is int agency ? q.Where(s => s.AgencyId == agency) : q, cancellationToken);
    }

    /// <summary>An applied seal, checked against its seal (the alarm is raised apart, before any transaction).</summary>
    private async Task<InstitutionalSealRecord> AppliedAsync(SegelDbContext db, long id, string action, CancellationToken cancellationToken)
    {
        InstitutionalSealRecord seal = await db.InstitutionalSeals.SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchSeal", id));
        await IntegrityAlarm.RequireIntactAsync(db, seal, action, _time.GetUtcNow(), cancellationToken);
        if (seal.State != SealState.Applied)
        {
            throw SegelException.Conflict(Localized.Of("Error.SealAlreadyDecided", id, seal.State.ToString().ToLowerInvariant()));
        }
        return seal;
    }

    /// <summary>Saves a decision; the row's seal is its concurrency token, so of two decisions at once the second stops here.</summary>
    private static async Task SaveDecidedAsync(SegelDbContext db, long id, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw SegelException.Conflict(Localized.Of("Error.SealDecidedMeanwhile", id));
        }
    }

    private async Task<List<SealView>> ViewsAsync(SegelDbContext db, Func<IQueryable<InstitutionalSealRecord>, IQueryable<InstitutionalSealRecord>> filter,
        CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var rows = await (from s in filter(db.InstitutionalSeals.AsNoTracking())
                          join a in db.Agencies.AsNoTracking() on s.AgencyId equals a.Id
                          join c in db.Certificates.AsNoTracking() on s.CertificateId equals c.Id into certificates
                          from c in certificates.DefaultIfEmpty()
                          orderby s.Id descending
                          select new { s, a.Code, AgencyName = a.Name, Serial = c == null ? null : c.SerialHex, NotAfter = c == null ? (DateTimeOffset?)null : c.NotAfter,
                              RevokedAt = c == null ? null : c.RevokedAt }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new SealView(r.s.Id, r.Code, r.AgencyName, r.s.Name, r.s.Purpose, r.s.State.ToString().ToLowerInvariant(), r.s.AppliedBy, r.s.AppliedAt,
            r.s.DecidedBy, r.s.DecidedAt, r.s.RejectionReason, r.Serial, r.NotAfter,
            r.Serial is null ? null : r.RevokedAt is not null ? "revoked" : r.NotAfter <= now ? "expired" : "valid"))];
    }
}
