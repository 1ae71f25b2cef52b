using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Revocation;

namespace Segel.Core.Signing;

/// <summary>What the public verification page shows about one signature: who, when, and whether the certificate still stands.</summary>
public sealed record PublicSignature(string Id, string SignerName, string? Position, string Agency, DateTimeOffset SignedAt, string Level, string SignedSha256,
    long SignedLength, string CertificateSerial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string CertificateState, DateTimeOffset? RevokedAt,
    string? RevocationReason);

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
        var row = await (from s in db.Signatures.AsNoTracking()
                         join e in db.Employees on s.EmployeeId equals e.Id
                         join a in db.Agencies on e.AgencyId equals a.Id
                         join c in db.Certificates on s.CertificateId equals c.Id
                         where s.Id == wanted
                         select new { s, e, Agency = a.Name, c.SerialHex, c.NotBefore, c.NotAfter, c.RevokedAt, c.RevocationReason })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }
        DateTimeOffset now = _time.GetUtcNow();
        // A signature row inserted or edited behind Segel's back (to make a forged letter's QR code "verify"), or a
        // signer renamed, is not shown as Segel's record: the page says it does not know it, and the alarm is raised.
        if (!await Audit.IntegrityAlarm.IsIntactOrRaiseAsync(db, row.s, "show a signature", now, cancellationToken)
            || !await Audit.IntegrityAlarm.IsIntactOrRaiseAsync(db, row.e, "show a signature", now, cancellationToken))
        {
            return null;
        }
        string state = row.RevokedAt is not null ? Revoked : row.NotAfter <= now ? Expired : Valid;
        return new PublicSignature(row.s.Id, row.e.Name, row.e.Position, row.Agency, row.s.SignedAt, row.s.Level, Convert.ToHexStringLower(row.s.SignedSha256),
            row.s.SignedLength, row.SerialHex, row.NotBefore, row.NotAfter, state, row.RevokedAt,
            row.RevocationReason is int reason ? ((Segel.Pki.Revocation.RevocationReason)reason).ToRfcName() : null);
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
        var query = from s in db.Signatures.AsNoTracking()
                    join e in db.Employees on s.EmployeeId equals e.Id
                    join a in db.Agencies on e.AgencyId equals a.Id
                    select new { s, e.Nip, e.Name, e.AgencyId, e.Id, Agency = a.Code };
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
