using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Organization;

public sealed record AgencyView(int Id, string Code, string Name, int Employees, int Holders);

/// <summary>What the staff list is asked for; <see cref="Status"/> is one of <see cref="StaffStatuses.Names"/>, <see cref="WorkUnit"/> a work unit's id.</summary>
public sealed record StaffQuery(string? Agency = null, string? Search = null, string? Status = null, int? WorkUnit = null, int? Offset = null, int? Limit = null);

/// <summary>The certificate states the staff list filters by, as a person asking for them would name them.</summary>
public enum StaffStatus
{
    NoCertificate,
    Valid,
    /// <summary>Valid, and running out within <see cref="EmployeeDirectory.ExpiringWithin"/>.</summary>
    Expiring,
    Expired,
    Revoked,
}

public static class StaffStatuses
{
    public static IReadOnlyList<string> Names { get; } = ["none", "valid", "expiring", "expired", "revoked"];

    /// <summary>Null for none given; an error naming the choices for a word that is not one.</summary>
    public static StaffStatus? Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        int index = Names.ToList().IndexOf(name.Trim().ToLowerInvariant());
        return index >= 0 ? (StaffStatus)index
            : throw SegelException.Invalid("status", Localized.Of("Error.UnknownCertificateStatusUseNone", name));
    }
}

public sealed record EmployeeView(string Nip, string Name, string? Position, string Agency, string? WorkUnit, string Email, string Status,
    string? CertificateSerial, DateTimeOffset? CertificateNotAfter, string? Nik)
{
    /// <summary>The personnel file's employment status: active, retired, deceased or dismissed.</summary>
    public string Employment { get; init; } = "active";
}

/// <summary>
/// Who works where, with each person's certificate status — what an agency head sees of their staff and the RA
/// of everyone. The NIK is shown only to RA officers and administrators who ask for it, and that is audited.
/// </summary>
public sealed class EmployeeDirectory
{
    private readonly LifecycleContext _context;

    internal EmployeeDirectory(LifecycleContext context) => _context = context;

    /// <summary>How near its end a valid certificate counts as expiring (the agency head's renewal list uses the same).</summary>
    public static readonly TimeSpan ExpiringWithin = TimeSpan.FromDays(90);

    /// <summary>Whether a certificate still valid at <paramref name="now"/> runs out within <see cref="ExpiringWithin"/>.</summary>
    public static bool IsExpiring(DateTimeOffset notAfter, DateTimeOffset now) => notAfter > now && notAfter - now <= ExpiringWithin;

    /// <summary>Agencies with their coverage; <paramref name="only"/> counts one agency alone (an agency head's own page).</summary>
    public async Task<IReadOnlyList<AgencyView>> AgenciesAsync(Principal by, int? only = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.RaOfficer | Role.AgencyHead | Role.Auditor, "list-agencies");
        await using SegelDbContext db = _context.Database.CreateContext();
        DateTimeOffset now = _context.Time.GetUtcNow();
        var rows = await db.Agencies.AsNoTracking().Where(a => only == null || a.Id == only).OrderBy(a => a.Code).Select(a => new
        {
            a.Id, a.Code, a.Name,
            Employees = db.Employees.Count(e => e.AgencyId == a.Id),
            Holders = db.Employees.Count(e => e.AgencyId == a.Id && db.Certificates.Any(c => c.EmployeeId == e.Id && c.RevokedAt == null && c.NotAfter > now)),
        }).ToListAsync(cancellationToken);
        return rows.Select(r => new AgencyView(r.Id, r.Code, r.Name, r.Employees, r.Holders)).ToList();
    }

    public Task<Page<EmployeeView>> ListAsync(string? agency, string? search, int? offset, int? limit, Principal by, CancellationToken cancellationToken = default) =>
        ListAsync(new StaffQuery(agency, search, Offset: offset, Limit: limit), by, cancellationToken);

    /// <summary>
    /// Employees matching every word of the search in their name, NIP or e-mail (any case, with or without accents,
    /// any part of a word), of a certificate status and work unit when given; by name.
    /// </summary>
    public async Task<Page<EmployeeView>> ListAsync(StaffQuery filter, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.RaOfficer | Role.AgencyHead | Role.Auditor, "list-employees");
        (int o, int l) = Paging.Check(filter.Offset, filter.Limit);
        (string? agency, string? search) = (filter.Agency, filter.Search);
        StaffStatus? wantedStatus = StaffStatuses.Parse(filter.Status);
        await using SegelDbContext db = _context.Database.CreateContext();
        // Filters on the employees table alone (an agency by its id), so counting needs no join; the agency's code and the
        // work unit's name are joined to the page only.
        IQueryable<EmployeeRecord> query = db.Employees.AsNoTracking();
        if (by.Has(Role.AgencyHead) && !by.Has(Role.Admin | Role.RaOfficer | Role.Auditor))
        {
            query = query.Where(e => e.AgencyId == by.AgencyId);
        }
        if (!string.IsNullOrWhiteSpace(agency))
        {
            int agencyId = await AgencyLookup.IdOfAsync(db, agency, cancellationToken) ?? -1;
            query = query.Where(e => e.AgencyId == agencyId);
        }
        foreach (string word in SearchText.Words(search))
        {
            string pattern = SearchText.ContainsPattern(word);
            query = query.Where(e => EF.Functions.Like(e.SearchText, pattern, "\\")); // LIKE: PostgreSQL's trigram index answers it
        }
        if (filter.WorkUnit is int unit)
        {
            query = query.Where(e => e.WorkUnitId == unit);
        }
        if (wantedStatus is StaffStatus wanted)
        {
            DateTimeOffset now = _context.Time.GetUtcNow(), soon = now + ExpiringWithin;
            var certificates = db.Certificates.AsNoTracking();
            // Subqueries EF inlines into the one statement: valid now, valid beyond the expiry window, and whether the
            // latest certificate ended revoked (true), ran out (false) or there is none (null).
            var valid = certificates.Where(c => c.RevokedAt == null && c.NotBefore <= now && c.NotAfter > now);
            var lasting = valid.Where(c => c.NotAfter > soon);
            query = wanted switch
            {
                StaffStatus.NoCertificate => query.Where(e => !certificates.Any(c => c.EmployeeId == e.Id)),
                StaffStatus.Valid => query.Where(e => valid.Any(c => c.EmployeeId == e.Id)),
                StaffStatus.Expiring => query.Where(e => valid.Any(c => c.EmployeeId == e.Id) && !lasting.Any(c => c.EmployeeId == e.Id)),
                _ => query.Where(e => !valid.Any(c => c.EmployeeId == e.Id)
                    && certificates.Where(c => c.EmployeeId == e.Id).OrderByDescending(c => c.Id).Select(c => (bool?)(c.RevokedAt != null)).FirstOrDefault()
                        == (wanted == StaffStatus.Revoked)),
            };
        }
        var rows = await (from e in query.OrderBy(e => e.Name).ThenBy(e => e.Nip).Skip(o).Take(l)
                          join a in db.Agencies.AsNoTracking() on e.AgencyId equals a.Id
                          join w in db.WorkUnits.AsNoTracking() on e.WorkUnitId equals w.Id into units
                          from w in units.DefaultIfEmpty()
                          orderby e.Name, e.Nip // again: a join need not keep its input's order (the database's collation decides, as above)
                          select new { e, AgencyCode = a.Code, Unit = w == null ? null : w.Name })
            .ToListAsync(cancellationToken);
        int total = await Paging.TotalAsync(query, o, l, rows.Count, cancellationToken);
        var status = await HolderStatuses.ComputeAsync(db, rows.Select(r => r.e.Id).ToList(), _context.Time.GetUtcNow(), cancellationToken);
        return new Page<EmployeeView>(rows.Select(r => View(r.e, r.AgencyCode, r.Unit, status[r.e.Id], null)).ToList(), total, o, l);
    }

    /// <summary>
    /// Holders whose certificate runs out within <paramref name="within"/> and who have no application for its successor
    /// yet — the agency head's list to renew from (Pasal 18); soonest first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<EmployeeView>> ExpiringAsync(TimeSpan within, int limit, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.RaOfficer | Role.AgencyHead | Role.Auditor, "list-employees");
        (_, int take) = Paging.Check(0, limit);
        DateTimeOffset now = _context.Time.GetUtcNow(), until = now + within;
        int? only = by.Has(Role.AgencyHead) && !by.Has(Role.Admin | Role.RaOfficer | Role.Auditor) ? by.AgencyId ?? -1 : null;
        await using SegelDbContext db = _context.Database.CreateContext();
        var soon = await (from c in db.Certificates.AsNoTracking()
                          join e in db.Employees.AsNoTracking() on c.EmployeeId equals e.Id
                          where c.RevokedAt == null && c.NotBefore <= now && c.NotAfter > now && c.NotAfter <= until && (only == null || e.AgencyId == only)
                          orderby c.NotAfter
                          select e.Id).Distinct().Take(take * 2).ToListAsync(cancellationToken);
        var status = await HolderStatuses.ComputeAsync(db, soon, now, cancellationToken);
        // Only those whose current certificate is the one ending (a successor issued or applied for takes them off).
        List<long> due = [.. soon.Where(id => status[id] is { Status: NationalStatus.Issue, Current: { } current } && current.NotAfter <= until)];
        var rows = await (from e in db.Employees.AsNoTracking().Where(e => due.Contains(e.Id))
                          join a in db.Agencies.AsNoTracking() on e.AgencyId equals a.Id
                          join w in db.WorkUnits.AsNoTracking() on e.WorkUnitId equals w.Id into units
                          from w in units.DefaultIfEmpty()
                          select new { e, AgencyCode = a.Code, Unit = w == null ? null : w.Name }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => View(r.e, r.AgencyCode, r.Unit, status[r.e.Id], null)).OrderBy(v => v.CertificateNotAfter).Take(take)];
    }

    public async Task<EmployeeView> GetAsync(string nip, bool revealNik, Principal by, string? origin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.RaOfficer | Role.AgencyHead | Role.Auditor | Role.Subscriber, "read-employee-records");
        await using SegelDbContext db = _context.Database.CreateContext();
        EmployeeRecord e = await db.EmployeeByNipAsync(nip, cancellationToken);
        LifecycleContext.RequireOwnAgency(by, e.AgencyId, "read-employee-records");
        if (by.Roles == Role.Subscriber && by.EmployeeId != e.Id)
        {
            throw SegelException.Forbidden(Localized.Of("Error.HolderReadTheirOwnRecord"));
        }
        if (revealNik && !by.Has(Role.Admin | Role.RaOfficer))
        {
            throw SegelException.Forbidden(Localized.Of("Error.RaOfficersAdministratorsSeeNik"));
        }
        string agency = await db.Agencies.Where(a => a.Id == e.AgencyId).Select(a => a.Code).SingleAsync(cancellationToken);
        string? unit = e.WorkUnitId is int w ? await db.WorkUnits.Where(x => x.Id == w).Select(x => x.Name).SingleAsync(cancellationToken) : null;
        var status = await HolderStatuses.ComputeAsync(db, [e.Id], _context.Time.GetUtcNow(), cancellationToken);
        string? nik = revealNik ? _context.PersonalData.Open(PersonalDataProtector.NikPurpose, e.NikSealed) : null;
        AuditLog.Record(db, _context.Time, by.ToActor(origin), "personal-data.read", $"employee:{e.Nip}", new { nik = revealNik });
        await db.SaveChangesAsync(cancellationToken);
        return View(e, agency, unit, status[e.Id], nik);
    }

    private static EmployeeView View(EmployeeRecord e, string agency, string? unit, (string Status, CertificateRecord? Current) status, string? nik) =>
        new(e.Nip, e.Name, e.Position, agency, unit, e.Email, status.Status, status.Current?.SerialHex, status.Current?.NotAfter, nik)
        {
            Employment = ((EmploymentStatus)e.Status).ToName(),
        };
}
