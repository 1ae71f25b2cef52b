using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

public sealed record RevocationRequestView(long Id, string Serial, string Holder, string? Agency, string Reason, string State, string RequestedBy,
    string? ContactEmail, string? Statement, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? RejectionReason,
    IReadOnlyList<DecisionSummary> Decisions)
{
    /// <summary>The signed letter an agency's request carries (Pasal 17(2)); null for a holder's report or an officer's decision.</summary>
    public DocumentSummary? Letter { get; init; }

    /// <summary>The regulation's ground (transfer, retirement, death, dismissal, misuse, wrong-information, key-lost, key-leaked, sanction, compromise-reported); null on requests older than grounds.</summary>
    public string? Ground { get; init; }
}

/// <summary>
/// The certificate a revocation would be asked for, as the request form shows it: whose it is and whether it can
/// still be revoked (a revoked or expired certificate cannot).
/// </summary>
public sealed record RevocationTarget(string Serial, string Holder, string? Nip, string? Agency, DateTimeOffset NotAfter, bool Revoked, bool Expired)
{
    public bool Revocable => !Revoked && !Expired;
}

public sealed class RevocationRequestQueries
{
    private readonly LifecycleContext _context;

    internal RevocationRequestQueries(LifecycleContext context) => _context = context;

    public async Task<Page<RevocationRequestView>> ListAsync(string? state, int? offset, int? limit, Principal by, CancellationToken cancellationToken = default)
    {
        EnrollmentQueries.RequireReader(by);
        (int o, int l) = Paging.Check(offset, limit);
        await using SegelDbContext db = _context.Database.CreateContext();
        IQueryable<RevocationRequestRecord> query = db.RevocationRequests.AsNoTracking();
        if (by.Has(Role.AgencyHead) && !by.Has(Role.RaOfficer | Role.Admin | Role.Auditor))
        {
            query = query.Where(r => r.AgencyId == by.AgencyId);
        }
        if (!string.IsNullOrWhiteSpace(state))
        {
            RevocationRequestState wanted = LifecycleTerms.ParseRequestState(state);
            query = query.Where(r => r.State == wanted);
        }
        int total = await query.CountAsync(cancellationToken);
        List<RevocationRequestRecord> rows = await query.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Skip(o).Take(l).ToListAsync(cancellationToken);
        var views = new List<RevocationRequestView>(rows.Count);
        foreach (RevocationRequestRecord row in rows)
        {
            views.Add(await ViewAsync(db, row, [], cancellationToken));
        }
        return new Page<RevocationRequestView>(views, total, o, l);
    }

    public async Task<RevocationRequestView> GetAsync(long id, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using SegelDbContext db = _context.Database.CreateContext();
        RevocationRequestRecord row = await db.RevocationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoRevocationRequest", id));
        if (row.RequestedBy == by.Name)
        {
            // Whoever asked (a holder reporting a compromise, too) may follow their own request.
        }
        else if (row.AgencyId is int agency)
        {
            EnrollmentQueries.RequireReader(by);
            LifecycleContext.RequireOwnAgency(by, agency, "read-revocation-requests");
        }
        else if (!by.Has(Role.RaOfficer | Role.Admin | Role.Auditor))
        {
            throw SegelException.Forbidden(Localized.Of("Error.NotReadRevocationRequest", by.Name));
        }
        List<DecisionSummary> decisions = (await db.Decisions.AsNoTracking().Where(d => d.SubjectType == "revocation-request" && d.SubjectId == id)
            .OrderBy(d => d.Id).ToListAsync(cancellationToken)).Select(EnrollmentQueries.ToSummary).ToList();
        var letter = await db.Documents.AsNoTracking().Where(d => d.RevocationRequestId == id && !d.Superseded)
            .Select(d => new { d.Kind, d.ContentType, d.Size, d.Sha256, d.FileName, d.UploadedBy, d.UploadedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return await ViewAsync(db, row, decisions, cancellationToken) with
        {
            Letter = letter is null ? null
                : new DocumentSummary(letter.Kind.ToName(), letter.ContentType, letter.Size, Convert.ToHexString(letter.Sha256), letter.FileName, letter.UploadedBy, letter.UploadedAt),
        };
    }

    /// <summary>
    /// The request's signed letter, for the RA officer deciding it (and the agency that sent it, and auditors); reading
    /// it is reading personal data and is audited like an application's documents.
    /// </summary>
    public async Task<DocumentContent> ReadLetterAsync(long id, Principal by, string? origin = null, CancellationToken cancellationToken = default)
    {
        EnrollmentQueries.RequireReader(by);
        await using SegelDbContext db = _context.Database.CreateContext();
        RevocationRequestRecord row = await db.RevocationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoRevocationRequest", id));
        if (row.AgencyId is int agency)
        {
            LifecycleContext.RequireOwnAgency(by, agency, "read-revocation-requests");
        }
        DocumentRecord document = await db.Documents.AsNoTracking().Where(d => d.RevocationRequestId == id && !d.Superseded)
            .FirstOrDefaultAsync(cancellationToken) ?? throw SegelException.NotFound(Localized.Of("Error.RevocationRequestNoLetter", id));
        AuditLog.Record(db, _context.Time, by.ToActor(origin), "personal-data.read", $"revocation-request:{id}",
            new { document = document.Kind.ToName(), sha256 = Convert.ToHexString(document.Sha256) });
        await db.SaveChangesAsync(cancellationToken);
        return new DocumentContent(document.ContentType, document.FileName, DocumentSealing.Open(_context.PersonalData, document), Convert.ToHexString(document.Sha256));
    }

    /// <summary>
    /// Whose certificate <paramref name="serial"/> is and whether it can still be revoked — what the person asking for a
    /// revocation must see before they send it. An agency head sees only their own agency's certificates.
    /// </summary>
    public async Task<RevocationTarget> TargetAsync(string? serial, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead | Role.RaOfficer | Role.Admin, "request-revocation");
        string given = (serial ?? "").Trim();
        if (!Pki.Certificates.SerialNumber.TryParseHex(given, out byte[] bytes))
        {
            throw SegelException.Invalid("serial", Localized.Of("Error.NotHexadecimalSerialNumber", given));
        }
        string hex = Pki.Certificates.SerialNumber.Normalise(bytes);
        await using SegelDbContext db = _context.Database.CreateContext();
        var found = await (from c in db.Certificates.AsNoTracking()
                           where c.SerialHex == hex
                           join e in db.Employees.AsNoTracking() on c.EmployeeId equals e.Id into holders
                           from e in holders.DefaultIfEmpty()
                           select new { c.SerialHex, c.CommonName, c.NotAfter, c.RevokedAt, Nip = e == null ? null : e.Nip, AgencyId = e == null ? (int?)null : e.AgencyId })
            .FirstOrDefaultAsync(cancellationToken) ?? throw SegelException.NotFound(Localized.Of("Error.NoCertificateSerial", hex));
        if (found.AgencyId is int agency)
        {
            LifecycleContext.RequireOwnAgency(by, agency, "request-revocation");
        }
        else if (!by.Has(Role.RaOfficer | Role.Admin))
        {
            throw SegelException.NotFound(Localized.Of("Error.NoCertificateSerial", hex));
        }
        string? code = found.AgencyId is int a ? await db.Agencies.Where(x => x.Id == a).Select(x => x.Code).SingleAsync(cancellationToken) : null;
        return new RevocationTarget(found.SerialHex, found.CommonName, found.Nip, code, found.NotAfter, found.RevokedAt is not null,
            found.NotAfter <= _context.Time.GetUtcNow());
    }

    private static async Task<RevocationRequestView> ViewAsync(SegelDbContext db, RevocationRequestRecord r, IReadOnlyList<DecisionSummary> decisions, CancellationToken cancellationToken)
    {
        var certificate = await db.Certificates.AsNoTracking().Where(c => c.Id == r.CertificateId).Select(c => new { c.SerialHex, c.CommonName }).SingleAsync(cancellationToken);
        string? agency = r.AgencyId is int a ? await db.Agencies.Where(x => x.Id == a).Select(x => x.Code).SingleAsync(cancellationToken) : null;
        return new RevocationRequestView(r.Id, certificate.SerialHex, certificate.CommonName, agency, ((RevocationReason)r.Reason).ToRfcName(),
            r.State.ToName(), r.RequestedBy, r.ContactEmail, r.Statement, r.CreatedAt, r.DecidedAt, r.DecidedBy, r.RejectionReason, decisions)
        {
            Ground = r.Ground is int g ? ((RevocationGround)g).ToName() : null,
        };
    }
}
