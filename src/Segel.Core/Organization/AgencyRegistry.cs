using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Organization;

public sealed record WorkUnitView(int Id, string Name, int Employees);

/// <summary>An agency (Pasal 10) as its readers see it: code, name and since when Segel knows it.</summary>
public sealed record AgencyInfo(int Id, string Code, string Name, DateTimeOffset CreatedAt)
{
    internal static AgencyInfo Of(AgencyRecord a) => new(a.Id, a.Code, a.Name, a.CreatedAt);
}

/// <summary>
/// The regency's agencies (Perangkat Daerah) and their work units (Unit Kerja), kept by administrators between
/// imports: add an agency, correct a name, add, rename or remove a work unit. A code never changes — imports, accounts
/// and applications refer to it — and a work unit with staff is not removed. Every change is audited with it.
/// </summary>
public sealed partial class AgencyRegistry
{
    private const int MaxName = 200;
    private readonly SegelDatabase _database;
    private readonly TimeProvider _time;

    internal AgencyRegistry(SegelDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>2–32 capital letters, digits, '-' or '_' (after upper-casing).</summary>
    public static bool IsCode([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? code) => code is not null && Code().IsMatch(code);

    public async Task<AgencyInfo> CreateAsync(string? code, string? name, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        Require(by, "add agencies");
        string wanted = (code ?? "").Trim().ToUpperInvariant();
        if (!IsCode(wanted))
        {
            throw SegelException.Invalid("code", Localized.Of("Error.AgencyCode232LettersDigits"));
        }
        string title = Name(name, "name");
        await using SegelDbContext db = _database.CreateContext();
        if (await db.Agencies.AnyAsync(a => a.Code == wanted, cancellationToken))
        {
            throw SegelException.Conflict(Localized.Of("Error.AgencyExists", wanted));
        }
        var agency = new AgencyRecord { Code = wanted, Name = title, CreatedAt = _time.GetUtcNow() };
        db.Agencies.Add(agency);
        AuditLog.Record(db, _time, by.ToActor(origin), "agency.created", wanted, new { name = title });
        await SaveAsync(db, Localized.Of("Error.AgencyExists", wanted), cancellationToken);
        return AgencyInfo.Of(agency);
    }

    public async Task<AgencyInfo> GetAsync(string? code, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.RaOfficer | Role.Auditor, "read-agencies");
        await using SegelDbContext db = _database.CreateContext();
        return AgencyInfo.Of(await FindAsync(db, code, cancellationToken));
    }

    public async Task RenameAsync(string? code, string? name, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        Require(by, "rename agencies");
        string title = Name(name, "name");
        await using SegelDbContext db = _database.CreateContext();
        AgencyRecord agency = await FindAsync(db, code, cancellationToken);
        if (agency.Name == title)
        {
            return;
        }
        AuditLog.Record(db, _time, by.ToActor(origin), "agency.renamed", agency.Code, new { from = agency.Name, to = title });
        agency.Name = title;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WorkUnitView>> WorkUnitsAsync(string? code, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.RaOfficer | Role.Auditor | Role.AgencyHead, "read-work-units");
        await using SegelDbContext db = _database.CreateContext();
        AgencyRecord agency = await FindAsync(db, code, cancellationToken);
        if (!by.Has(Role.Admin | Role.PolicyAdmin | Role.RaOfficer | Role.Auditor) && by.AgencyId != agency.Id)
        {
            throw SegelException.Forbidden(Localized.Of("Error.ReadTheirOwnAgencyWork", by.Name));
        }
        return await db.WorkUnits.AsNoTracking().Where(w => w.AgencyId == agency.Id).OrderBy(w => w.Name)
            .Select(w => new WorkUnitView(w.Id, w.Name, db.Employees.Count(e => e.WorkUnitId == w.Id)))
            .ToListAsync(cancellationToken);
    }

    public async Task<WorkUnitView> AddWorkUnitAsync(string? code, string? name, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        Require(by, "add work units");
        string title = Name(name, "workUnit");
        await using SegelDbContext db = _database.CreateContext();
        AgencyRecord agency = await FindAsync(db, code, cancellationToken);
        await RequireFreeNameAsync(db, agency, title, null, cancellationToken);
        var unit = new WorkUnitRecord { AgencyId = agency.Id, Name = title };
        db.WorkUnits.Add(unit);
        AuditLog.Record(db, _time, by.ToActor(origin), "work-unit.created", agency.Code, new { name = title });
        await SaveAsync(db, Localized.Of("Error.AlreadyWorkUnit", agency.Code, title), cancellationToken);
        return new WorkUnitView(unit.Id, unit.Name, 0);
    }

    public async Task RenameWorkUnitAsync(string? code, int id, string? name, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        Require(by, "rename work units");
        string title = Name(name, "workUnit");
        await using SegelDbContext db = _database.CreateContext();
        AgencyRecord agency = await FindAsync(db, code, cancellationToken);
        WorkUnitRecord unit = await FindUnitAsync(db, agency, id, cancellationToken);
        if (unit.Name == title)
        {
            return;
        }
        await RequireFreeNameAsync(db, agency, title, unit.Id, cancellationToken);
        AuditLog.Record(db, _time, by.ToActor(origin), "work-unit.renamed", agency.Code, new { from = unit.Name, to = title });
        unit.Name = title;
        await SaveAsync(db, Localized.Of("Error.AlreadyWorkUnit", agency.Code, title), cancellationToken);
    }

    public async Task RemoveWorkUnitAsync(string? code, int id, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        Require(by, "remove work units");
        await using SegelDbContext db = _database.CreateContext();
        AgencyRecord agency = await FindAsync(db, code, cancellationToken);
        WorkUnitRecord unit = await FindUnitAsync(db, agency, id, cancellationToken);
        int staff = await db.Employees.CountAsync(e => e.WorkUnitId == unit.Id, cancellationToken);
        if (staff > 0)
        {
            throw SegelException.Refused(Localized.Of("Error.WorkUnitStillEmployeesMove", unit.Name, staff));
        }
        db.WorkUnits.Remove(unit);
        AuditLog.Record(db, _time, by.ToActor(origin), "work-unit.removed", agency.Code, new { name = unit.Name });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Require(Principal by, string action)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, action);
    }

    private static string Name(string? value, string field)
    {
        string name = (value ?? "").Trim();
        if (name.Length == 0)
        {
            throw SegelException.Invalid(field, Localized.Of("Error.GiveAName"));
        }
        if (name.Length > MaxName || name.Any(char.IsControl))
        {
            throw SegelException.Invalid(field, Localized.Of("Error.NameMostCharactersNoLine", MaxName));
        }
        return name;
    }

    private static async Task<AgencyRecord> FindAsync(SegelDbContext db, string? code, CancellationToken cancellationToken)
    {
        string wanted = (code ?? "").Trim().ToUpperInvariant();
        return await db.Agencies.SingleOrDefaultAsync(a => a.Code == wanted, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchAgency", wanted));
    }

    private static async Task<WorkUnitRecord> FindUnitAsync(SegelDbContext db, AgencyRecord agency, int id, CancellationToken cancellationToken) =>
        await db.WorkUnits.SingleOrDefaultAsync(w => w.Id == id && w.AgencyId == agency.Id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoWorkUnit", agency.Code, id));

    /// <summary>Imports match work units by name regardless of case, so two that differ only in case would be one to them.</summary>
    private static async Task RequireFreeNameAsync(SegelDbContext db, AgencyRecord agency, string name, int? except, CancellationToken cancellationToken)
    {
        List<string> names = await db.WorkUnits.Where(w => w.AgencyId == agency.Id && w.Id != except).Select(w => w.Name).ToListAsync(cancellationToken);
        if (names.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw SegelException.Conflict(Localized.Of("Error.AlreadyWorkUnit", agency.Code, name));
        }
    }

    private static async Task SaveAsync(SegelDbContext db, Localized conflict, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            throw SegelException.Conflict(conflict);
        }
    }

    [GeneratedRegex("^[A-Z0-9_-]{2,32}$")]
    private static partial Regex Code();
}
