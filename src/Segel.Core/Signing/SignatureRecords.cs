using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Revocation;

namespace Segel.Core.Signing;

/// <summary>What the public verification page shows about one signature: who, when, and whether the certificate still stands.</summary>
public sealed record PublicSignature(string Id, string SignerName, string? Position, string Agency, DateTimeOffset SignedAt, string Level, string SignedSha256,
    long SignedLength, string CertificateSerial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string CertificateState, DateTimeOffset? RevokedAt,
    string? RevocationReason)
{
    /// <summary>Made with an institution's seal (issue 23.2): <see cref="SignerName"/> is the seal's name, and the page says "sealed by" the agency.</summary>
    public bool Sealed { get; init; }
}

/// <summary>One line of the supervision list (Pasal 21).</summary>
public sealed record SignatureListItem(string Id, string Nip, string SignerName, string Agency, string Application, DateTimeOffset SignedAt, string Level,
    string Unlock, string SignedSha256, string? DocumentName);

/// <summary>Reading the record of signatures: publicly by id (the QR code), or as a list for supervision.</summary>
public sealed class SignatureRecords
{
    /// <summary>Certificate states on the public page.</summary>
    public const string Valid = "valid", Revoked = "revoked", Expired = "expired";
    private readonly SegelDatabase _database;
    private readonly TimeProvider _time;

    internal SignatureRecords(SegelDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>The public facts of a signature; anyone holding the document (and so its QR code) may see them. Null when unknown.</summary>
    public async Task<PublicSignature?> FindPublicAsync(string? id, CancellationToken cancellationToken = default)
    {
        string wanted = (id ?? "").Trim().ToLowerInvariant();
        if (wanted.Length != 32 || !wanted.All(Uri.IsHexDigit))
        {
            return null;
        }
        await using SegelDbContext db = _database.CreateContext();
        SignatureRecord? signature = await db.Signatures.AsNoTracking().SingleOrDefaultAsync(s => s.Id == wanted, cancellationToken);
        if (signature is null)
        {
            return null;
        }
        var certificate = await db.Certificates.AsNoTracking().Where(c => c.Id == signature.CertificateId)
            .Select(c => new { c.SerialHex, c.NotBefore, c.NotAfter, c.RevokedAt, c.RevocationReason }).SingleAsync(cancellationToken);
        DateTimeOffset now = _time.GetUtcNow();
        // A signature row inserted or edited behind Segel's back (to make a forged letter's QR code "verify"), or a
        // signer (or seal) renamed, is not shown as Segel's record: the page says it does not know it, and the alarm is raised.
        ISealedRow signer;
        string name, agency;
        string? position;
        if (signature.SealId is long sealId)
        {
            InstitutionalSealRecord? seal = await db.InstitutionalSeals.AsNoTracking().SingleOrDefaultAsync(x => x.Id == sealId, cancellationToken);
            if (seal is null)
            {
                return null;
            }
            (signer, name, position) = (seal, seal.Name, null);
            agency = await db.Agencies.AsNoTracking().Where(a => a.Id == seal.AgencyId).Select(a => a.Name).SingleAsync(cancellationToken);
        }
        else
        {
            EmployeeRecord? employee = await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Id == signature.EmployeeId, cancellationToken);
            if (employee is null)
            {
                return null;
            }
            (signer, name, position) = (employee, employee.Name, employee.Position);
            agency = await db.Agencies.AsNoTracking().Where(a => a.Id == employee.AgencyId).Select(a => a.Name).SingleAsync(cancellationToken);
        }
        if (!await Audit.IntegrityAlarm.IsIntactOrRaiseAsync(db, signature, "show a signature", now, cancellationToken)
            || !await Audit.IntegrityAlarm.IsIntactOrRaiseAsync(db, signer, "show a signature", now, cancellationToken))
        {
            return null;
        }
        string state = certificate.RevokedAt is not null ? Revoked : certificate.NotAfter <= now ? Expired : Valid;
        return new PublicSignature(signature.Id, name, position, agency, signature.SignedAt, signature.Level, Convert.ToHexStringLower(signature.SignedSha256),
            signature.SignedLength, certificate.SerialHex, certificate.NotBefore, certificate.NotAfter, state, certificate.RevokedAt,
            certificate.RevocationReason is int reason ? ((Segel.Pki.Revocation.RevocationReason)reason).ToRfcName() : null)
        { Sealed = signature.SealId is not null };
    }

    /// <summary>The signature whose signed output had exactly these bytes (an upload on the verification page), if Segel made it.</summary>
    public async Task<string?> FindBySignedHashAsync(byte[] sha256, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        return await db.Signatures.AsNoTracking().Where(s => s.SignedSha256 == sha256).OrderBy(s => s.SignedAt).Select(s => s.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Signatures for supervision, newest first: administrators, auditors and RA officers see all, agency heads their
    /// agency's, holders their own; integrating applications none.
    /// </summary>
    public async Task<Page<SignatureListItem>> ListAsync(string? nip, DateTimeOffset? from, DateTimeOffset? to, int? offset, int? limit, Principal by,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.Auditor | Role.RaOfficer | Role.AgencyHead | Role.Subscriber, "read-the-record-of-signatures");
        (int skip, int take) = Paging.Check(offset, limit);
        await using SegelDbContext db = _database.CreateContext();
        // People's signatures and institutions' seals (issue 23.2) alike: a seal has no NIP, and its agency is the seal's.
        var query = from s in db.Signatures.AsNoTracking()
                    join e in db.Employees on s.EmployeeId equals e.Id into people
                    from e in people.DefaultIfEmpty()
                    join x in db.InstitutionalSeals on s.SealId equals x.Id into seals
                    from x in seals.DefaultIfEmpty()
                    let agencyId = e != null ? e.AgencyId : x!.AgencyId
                    join a in db.Agencies on agencyId equals a.Id
                    select new { s, Nip = e != null ? e.Nip : "", Name = e != null ? e.Name : x!.Name, AgencyId = agencyId, Id = e != null ? (long?)e.Id : null, Agency = a.Code };
        if (!by.Has(Role.Admin | Role.Auditor | Role.RaOfficer))
        {
            query = by.Has(Role.AgencyHead) ? query.Where(x => x.AgencyId == by.AgencyId) : query.Where(x => x.Id == by.EmployeeId);
        }
        if (!string.IsNullOrWhiteSpace(nip))
        {
            string wanted = nip.Trim();
            query = query.Where(x => x.Nip == wanted);
        }
        if (from is { } start)
        {
            query = query.Where(x => x.s.SignedAt >= start);
        }
        if (to is { } end)
        {
            query = query.Where(x => x.s.SignedAt < end);
        }
        int total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(x => x.s.SignedAt).ThenBy(x => x.s.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new Page<SignatureListItem>(rows.Select(x => new SignatureListItem(x.s.Id, x.Nip, x.Name, x.Agency, x.s.Application, x.s.SignedAt, x.s.Level,
            x.s.Unlock, Convert.ToHexStringLower(x.s.SignedSha256), x.s.DocumentName)).ToList(), total, skip, take);
    }
}
