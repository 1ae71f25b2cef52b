using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>
/// Pasal 25's supervision and evaluation, as figures for a period (<see cref="ReportPeriod"/>) from the facts Segel
/// already keeps: the register, applications, certificates, signatures and the audit chain. Administrators, policy
/// administrators and auditors read the regency's or any agency's; an agency head only their own agency's. Counts are
/// taken in SQL (a regency's year can hold a million signatures); only the small sets are read into memory.
/// </summary>
public sealed class PeriodReports : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromDays(90);

    /// <summary>How long one verification of the whole audit chain answers for the reports after it, on every node.</summary>
    public static readonly TimeSpan AuditFreshness = TimeSpan.FromHours(1);

    /// <summary>The audit record of a verification a report ran: its outcome, for the reports (on any node) within <see cref="AuditFreshness"/>.</summary>
    public const string VerifiedAction = "audit.verified";
    private static readonly string[] HolderProfiles = ["subscriber", "ra-officer"];
    private readonly SegelDatabase _database;
    private readonly AuditVerifier _audit;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _auditGate = new(1, 1);
    private (bool Intact, DateTimeOffset At)? _lastAudit;

    internal PeriodReports(SegelDatabase database, AuditVerifier audit, TimeProvider time)
    {
        _database = database;
        _audit = audit;
        _time = time;
    }

    public async Task<PeriodReport> ComputeAsync(ReportPeriod period, string? agencyCode, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.Auditor | Role.AgencyHead, "read-supervision-reports");
        await using SegelDbContext db = _database.CreateContext();
        int? agency = await AgencyAsync(db, agencyCode, by, cancellationToken);
        // Stored times are UTC (SQLite compares them as numbers, PostgreSQL takes no other offset).
        (DateTimeOffset from, DateTimeOffset to) = (period.From.ToUniversalTime(), period.To.ToUniversalTime());
        // A period still running is reported as it stands now: coverage now, not at an end that has not come.
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset asOf = now < to ? now : to;

        IQueryable<EmployeeRecord> employees = db.Employees.AsNoTracking().Where(e => agency == null || e.AgencyId == agency);
        // For the regency every employee counts, so the per-row EXISTS on employees (a million times over signatures) is left out.
        IQueryable<CertificateRecord> held = db.Certificates.AsNoTracking().Where(c => c.EmployeeId != null && HolderProfiles.Contains(c.Profile));
        if (agency is not null)
        {
            held = held.Where(c => employees.Any(e => e.Id == c.EmployeeId));
        }

        var perAgency = await employees.GroupBy(e => e.AgencyId).Select(g => new { Agency = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var holders = await (from c in held
                             where c.NotBefore <= asOf && c.NotAfter > asOf && (c.RevokedAt == null || c.RevokedAt > asOf)
                             join e in db.Employees on c.EmployeeId equals e.Id
                             select new { e.AgencyId, e.Id }).Distinct().GroupBy(x => x.AgencyId)
            .Select(g => new { Agency = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var agencies = await db.Agencies.AsNoTracking().Where(a => agency == null || a.Id == agency).OrderBy(a => a.Code).ToListAsync(cancellationToken);
        List<AgencyCoverage> coverage = [.. agencies.Select(a => new AgencyCoverage(a.Code, a.Name,
            perAgency.SingleOrDefault(p => p.Agency == a.Id)?.Count ?? 0, holders.SingleOrDefault(h => h.Agency == a.Id)?.Count ?? 0))];

        var unitHolders = await (from c in held
                                 where c.NotBefore <= asOf && c.NotAfter > asOf && (c.RevokedAt == null || c.RevokedAt > asOf)
                                 join e in db.Employees on c.EmployeeId equals e.Id
                                 select new { e.AgencyId, e.WorkUnitId, e.Id }).Distinct().GroupBy(x => new { x.AgencyId, x.WorkUnitId })
            .Select(g => new { g.Key.AgencyId, Unit = g.Key.WorkUnitId, Count = g.Count() }).ToListAsync(cancellationToken);
        var units = await (from e in employees
                           join u in db.WorkUnits on e.WorkUnitId equals (int?)u.Id into joined
                           from u in joined.DefaultIfEmpty()
                           group e by new { e.AgencyId, e.WorkUnitId, Name = u == null ? null : u.Name } into g
                           select new { g.Key.AgencyId, g.Key.WorkUnitId, g.Key.Name, Count = g.Count() }).ToListAsync(cancellationToken);
        List<WorkUnitCoverage> workUnits = [.. units.Join(agencies, u => u.AgencyId, a => a.Id, (u, a) => new WorkUnitCoverage(a.Code, u.Name ?? "", u.Count,
                unitHolders.SingleOrDefault(h => h.AgencyId == u.AgencyId && h.Unit == u.WorkUnitId)?.Count ?? 0))
            .OrderBy(w => w.Agency, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal)];
        List<CoveragePoint> trend = [];
        foreach ((string month, DateTimeOffset end) in MonthEnds(period).Where(m => m.Start < asOf).Select(m => (m.Month, m.End)))
        {
            DateTimeOffset at = end.ToUniversalTime() < asOf ? end.ToUniversalTime() : asOf;
            int staff = await employees.CountAsync(e => e.CreatedAt < at, cancellationToken);
            int holding = await held.Where(c => c.NotBefore <= at && c.NotAfter > at && (c.RevokedAt == null || c.RevokedAt > at)).Select(c => c.EmployeeId).Distinct()
                .CountAsync(cancellationToken);
            trend.Add(new CoveragePoint(month, staff, holding));
        }

        ApplicationFigures applications = await ApplicationsAsync(db, agency, from, to, cancellationToken);
        CertificateFigures certificates = await CertificatesAsync(db, held, from, to, asOf, cancellationToken);

        IQueryable<SignatureRecord> signatures = db.Signatures.AsNoTracking().Where(s => s.SignedAt >= from && s.SignedAt < to);
        if (agency is not null)
        {
            // A person's signatures by their agency; an institution's seals (issue 23.2) by the seal's.
            signatures = signatures.Where(s => employees.Any(e => e.Id == s.EmployeeId) || db.InstitutionalSeals.Any(x => x.Id == s.SealId && x.AgencyId == agency));
        }
        // Three scans of the year's signatures, no joins: per signer (a row per employee who signed, and per seal), and per
        // application and level together (a handful of rows); the signers' agencies are looked up in memory.
        var perSigner = await signatures.Where(s => s.EmployeeId != null).GroupBy(s => s.EmployeeId!.Value).Select(g => new { Employee = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        var perSeal = await signatures.Where(s => s.SealId != null).GroupBy(s => s.SealId!.Value).Select(g => new { Seal = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        Dictionary<long, string> agencyOfSeal = await (from x in db.InstitutionalSeals join a in db.Agencies on x.AgencyId equals a.Id select new { x.Id, a.Code })
            .ToDictionaryAsync(x => x.Id, x => x.Code, cancellationToken);
        var perKind = await signatures.GroupBy(s => new { s.Application, s.Level }).Select(g => new { g.Key.Application, g.Key.Level, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        Dictionary<long, string> agencyOf = await (from e in employees join a in db.Agencies on e.AgencyId equals a.Id select new { e.Id, a.Code })
            .ToDictionaryAsync(x => x.Id, x => x.Code, cancellationToken);
        List<Tally> byAgency = [.. perSigner.Select(x => (Agency: agencyOf.GetValueOrDefault(x.Employee, "?"), x.Count))
            .Concat(perSeal.Select(x => (Agency: agencyOfSeal.GetValueOrDefault(x.Seal, "?"), x.Count)))
            .GroupBy(x => x.Agency).Select(g => new Tally(g.Key, g.Sum(x => x.Count)))
            .OrderBy(t => t.Key, StringComparer.Ordinal)];
        List<Tally> byApplication = [.. perKind.GroupBy(x => x.Application).Select(g => new Tally(g.Key, g.Sum(x => x.Count)))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Key, StringComparer.Ordinal)];
        List<Tally> byLevel = [.. perKind.GroupBy(x => x.Level).Select(g => new Tally(g.Key, g.Sum(x => x.Count))).OrderBy(t => t.Key, StringComparer.Ordinal)];

        HashSet<long>? inAgency = agency is null ? null : [.. await employees.Select(e => e.Id).ToListAsync(cancellationToken)];
        HashSet<string>? keys = agency is null ? null
            : [.. (await db.HolderKeys.AsNoTracking().Where(k => employees.Any(e => e.Id == k.EmployeeId)).Select(k => k.Id).ToListAsync(cancellationToken))
                .Select(id => $"key:{id.ToString(CultureInfo.InvariantCulture)}")];
        int lockouts = await KeyEventsAsync(db, "holder-key.locked", keys, from, to, cancellationToken);
        int unlocks = await KeyEventsAsync(db, "holder-key.unlocked", keys, from, to, cancellationToken);
        int outside = (await AuditDetailsAsync(db, "certificate.issued", from, to, cancellationToken))
            .Count(d => Text(d, "route") == "direct" && Number(d, "employee") is long employee && (inAgency is null || inAgency.Contains(employee)));
        (int Received, int Closed)? complaints = agency is null ? await Complaints.CountAsync(db, from, to, cancellationToken) : null;
        IReadOnlyList<FindingView> findings = await Findings.InPeriodAsync(db, agency, from, to, cancellationToken);
        bool intact = await AuditIntactAsync(cancellationToken);
        return new PeriodReport(period, agencies.Count == 1 && agency is not null ? agencies[0].Code : null, now, coverage, workUnits, trend, applications, certificates,
            byAgency, byApplication, byLevel, lockouts, unlocks, outside, intact, complaints?.Received, complaints?.Closed, findings);
    }

    /// <summary>
    /// Whether the audit chain verifies, from a verification at most <see cref="AuditFreshness"/> old. A full verification
    /// reads and checks every record and every sealed row (about 20 s for a regency with a million signature records,
    /// see docs/performance.md), and reports — and the dashboards built on them — are asked for far more often, by agency
    /// heads too. So a report that runs one records its outcome in the chain (<see cref="VerifiedAction"/>), and reports
    /// on any node within the hour take that record's word; a node also remembers the answer. One verification runs at a
    /// time per node; callers waiting for it take its answer.
    /// </summary>
    private async Task<bool> AuditIntactAsync(CancellationToken cancellationToken)
    {
        if (_lastAudit is { } last && _time.GetUtcNow() - last.At < AuditFreshness)
        {
            return last.Intact;
        }
        await _auditGate.WaitAsync(cancellationToken);
        try
        {
            if (_lastAudit is { } again && _time.GetUtcNow() - again.At < AuditFreshness)
            {
                return again.Intact;
            }
            await using SegelDbContext db = _database.CreateContext();
            DateTimeOffset since = _time.GetUtcNow() - AuditFreshness;
            var recorded = await db.AuditRecords.AsNoTracking().Where(a => a.Action == VerifiedAction && a.At >= since).OrderByDescending(a => a.Id)
                .Select(a => new { a.At, a.Details }).FirstOrDefaultAsync(cancellationToken);
            if (recorded?.Details is { } details)
            {
                bool said = Parse(details) is { ValueKind: JsonValueKind.Object } outcome && outcome.TryGetProperty("intact", out JsonElement value) && value.ValueKind == JsonValueKind.True;
                _lastAudit = (said, recorded.At);
                return said;
            }
            DateTimeOffset started = _time.GetUtcNow();
            AuditVerification verification = await _audit.VerifyAsync(cancellationToken);
            AuditLog.Record(db, _time, Actor.System, VerifiedAction, "audit", new { intact = verification.Intact, entries = verification.Entries });
            await db.SaveChangesAsync(cancellationToken);
            _lastAudit = (verification.Intact, started);
            return verification.Intact;
        }
        finally
        {
            _auditGate.Release();
        }
    }

    /// <summary>Each month of the period with the moments it starts and ends (the period's end for a last, partial month), in the period's offset.</summary>
    private static IEnumerable<(string Month, DateTimeOffset Start, DateTimeOffset End)> MonthEnds(ReportPeriod period)
    {
        var start = new DateTimeOffset(period.From.Year, period.From.Month, 1, 0, 0, 0, period.From.Offset);
        while (start < period.To)
        {
            DateTimeOffset next = start.AddMonths(1);
            yield return (start.ToString("yyyy-MM", CultureInfo.InvariantCulture), start, next < period.To ? next : period.To);
            start = next;
        }
    }

    public void Dispose() => _auditGate.Dispose();

    /// <summary>The agency asked for; an agency head is held to their own, whatever they ask.</summary>
    private static async Task<int?> AgencyAsync(SegelDbContext db, string? code, Principal by, CancellationToken cancellationToken)
    {
        bool supervisor = by.Has(Role.Admin | Role.PolicyAdmin | Role.Auditor);
        if (string.IsNullOrWhiteSpace(code))
        {
            return supervisor ? null : by.AgencyId ?? throw SegelException.Forbidden(Localized.Of("Error.AgencyHeadAccountNamesNo"));
        }
        string wanted = code.Trim().ToUpperInvariant();
        int id = await db.Agencies.Where(a => a.Code == wanted).Select(a => (int?)a.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchAgencyCode", wanted));
        if (!supervisor && by.AgencyId != id)
        {
            throw SegelException.Forbidden(Localized.Of("Error.AgencyHeadReadsTheirOwn"));
        }
        return id;
    }

    private static async Task<ApplicationFigures> ApplicationsAsync(SegelDbContext db, int? agency, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        IQueryable<EnrollmentRecord> ofAgency = db.Enrollments.AsNoTracking().Where(e => agency == null || e.AgencyId == agency);
        int received = await ofAgency.CountAsync(e => e.CreatedAt >= from && e.CreatedAt < to, cancellationToken);
        var approved = await ofAgency.Where(e => e.State == EnrollmentState.Approved && e.DecidedAt >= from && e.DecidedAt < to)
            .Select(e => new { e.SubmittedAt, e.DecidedAt }).ToListAsync(cancellationToken);
        // Sent back: each time, from the chain (an application may be sent back, corrected and sent back again).
        HashSet<string>? subjects = agency is null ? null
            : [.. (await ofAgency.Select(e => e.Id).ToListAsync(cancellationToken)).Select(id => $"enrollment:{id.ToString(CultureInfo.InvariantCulture)}")];
        List<string?> reasons = [.. (await db.AuditRecords.AsNoTracking().Where(a => a.Action == "enrollment.rejected" && a.At >= from && a.At < to)
                .Select(a => new { a.Subject, a.Details }).ToListAsync(cancellationToken))
            .Where(a => subjects is null || subjects.Contains(a.Subject)).Select(a => a.Details is null ? null : Text(Parse(a.Details), "reason"))];
        List<double> hours = [.. approved.Where(a => a.SubmittedAt is not null && a.DecidedAt is not null)
            .Select(a => (a.DecidedAt!.Value - a.SubmittedAt!.Value).TotalHours).Order()];
        return new ApplicationFigures(received, approved.Count, reasons.Count,
            [.. reasons.GroupBy(r => r ?? "").Select(g => new Tally(g.Key, g.Count())).OrderByDescending(t => t.Count).ThenBy(t => t.Key, StringComparer.Ordinal)],
            Rank(hours, 0.5), Rank(hours, 0.9));
    }

    private static async Task<CertificateFigures> CertificatesAsync(SegelDbContext db, IQueryable<CertificateRecord> held, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var issued = await held.Where(c => c.IssuedAt >= from && c.IssuedAt < to)
            .Select(c => new { c.Id, Kind = db.Enrollments.Where(e => e.CertificateId == c.Id).Select(e => (EnrollmentKind?)e.Kind).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        List<Tally> revoked = [.. (await held.Where(c => c.RevokedAt >= from && c.RevokedAt < to).GroupBy(c => c.RevocationReason)
                .Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken))
            .Select(x => new Tally(x.Key is int reason ? ((RevocationReason)reason).ToRfcName() : "unspecified", x.Count)).OrderBy(t => t.Key, StringComparer.Ordinal)];
        // Ran out in the period, unrevoked, with no later certificate for the same person issued before it ended.
        int expired = await held.CountAsync(c => c.NotAfter >= from && c.NotAfter < to && (c.RevokedAt == null || c.RevokedAt >= c.NotAfter)
            && !held.Any(n => n.EmployeeId == c.EmployeeId && n.Id != c.Id && n.IssuedAt <= c.NotAfter && n.NotAfter > c.NotAfter), cancellationToken);
        DateTimeOffset soon = asOf + Soon;
        int expiring = await held.CountAsync(c => c.NotAfter >= asOf && c.NotAfter < soon && c.NotBefore <= asOf && (c.RevokedAt == null || c.RevokedAt > asOf), cancellationToken);
        return new CertificateFigures(issued.Count, issued.Count(i => i.Kind == EnrollmentKind.Renewal), issued.Count(i => i.Kind == EnrollmentKind.Reissue),
            revoked, expired, expiring);
    }

    /// <summary>Holder-key events (subject <c>key:ID</c>) in the period, only of <paramref name="keys"/> when an agency is asked.</summary>
    private static async Task<int> KeyEventsAsync(SegelDbContext db, string action, HashSet<string>? keys, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        IQueryable<string> subjects = db.AuditRecords.AsNoTracking().Where(a => a.Action == action && a.At >= from && a.At < to).Select(a => a.Subject);
        return keys is null ? await subjects.CountAsync(cancellationToken) : (await subjects.ToListAsync(cancellationToken)).Count(keys.Contains);
    }

    private static async Task<List<JsonElement>> AuditDetailsAsync(SegelDbContext db, string action, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        [.. (await db.AuditRecords.AsNoTracking().Where(a => a.Action == action && a.At >= from && a.At < to && a.Details != null).Select(a => a.Details!)
            .ToListAsync(cancellationToken)).Select(Parse)];

    private static JsonElement Parse(string details)
    {
        using JsonDocument document = JsonDocument.Parse(details);
        return document.RootElement.Clone();
    }

    private static string? Text(JsonElement details, string name) =>
        details.ValueKind == JsonValueKind.Object && details.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement details, string name) =>
        details.ValueKind == JsonValueKind.Object && details.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    /// <summary>The nearest-rank percentile of sorted values, in hours with one decimal; null when there are none.</summary>
    private static double? Rank(List<double> sorted, double percentile) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(percentile * sorted.Count) - 1)], 1);
}
