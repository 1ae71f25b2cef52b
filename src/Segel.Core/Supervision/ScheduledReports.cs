using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>A report generated on schedule, as the reports page lists it.</summary>
public sealed record StoredReportView(long Id, string Period, string? Agency, DateTimeOffset GeneratedAt, string Sha256);

/// <summary>
/// Pasal 25's reports for each half-year and each year, generated on the first day after the period (or, after a
/// stop, within <see cref="CatchUp"/> of it): the regency's and every agency's, stored, recorded in the audit chain
/// with their hash, and announced by e-mail — to the cryptography agency's leadership (administrators and policy
/// administrators) the regency's, to each agency head their agency's. One row per period and scope under a unique
/// index, so of several nodes one generates and mails, the others find it done. A stored report is never changed:
/// reading one checks its hash against the chain and refuses one that differs.
/// </summary>
public sealed class ScheduledReports
{
    /// <summary>How long after a period ends a stopped server still generates its report when it comes back.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromDays(7);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SegelDatabase _database;
    private readonly PeriodReports _reports;
    private readonly MailOutbox _outbox;
    private readonly string _organization;
    private readonly string _baseUrl;
    private readonly TimeProvider _time;

    internal ScheduledReports(SegelDatabase database, PeriodReports reports, MailOutbox outbox, string organization, string baseUrl, TimeProvider time)
    {
        _database = database;
        _reports = reports;
        _outbox = outbox;
        _organization = organization;
        _baseUrl = baseUrl.TrimEnd('/');
        _time = time;
    }

    /// <summary>The half-year and (in January) the year that ended within <see cref="CatchUp"/> before <paramref name="now"/>.</summary>
    public static IReadOnlyList<ReportPeriod> DueAt(DateTimeOffset now)
    {
        DateTimeOffset local = now.ToOffset(ReportPeriod.Wita);
        var due = new List<ReportPeriod>();
        ReportPeriod half = ReportPeriod.Parse(local.Month <= 6 ? $"{local.Year - 1}-H2" : $"{local.Year}-H1");
        if (now - half.To < CatchUp)
        {
            due.Add(half);
        }
        ReportPeriod year = ReportPeriod.Parse((local.Year - 1).ToString(CultureInfo.InvariantCulture));
        if (now - year.To < CatchUp)
        {
            due.Add(year);
        }
        return due;
    }

    /// <summary>The job's round: generates what is due and not yet generated. Returns how many periods it generated.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        int made = 0;
        foreach (ReportPeriod period in DueAt(_time.GetUtcNow()))
        {
            made += await GenerateAsync(period, Principal.System, cancellationToken) ? 1 : 0;
        }
        return made;
    }

    /// <summary>
    /// Generates and stores a period's reports (the regency's and each agency's) unless they exist; false when another
    /// node (or an earlier round) already did. Administrators only (the job acts as the system).
    /// </summary>
    public async Task<bool> GenerateAsync(ReportPeriod period, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "generate-supervision-reports");
        if (_time.GetUtcNow() < period.To)
        {
            throw SegelException.Refused(Localized.Of("Error.PeriodNotEndedReportStored", period.Name));
        }
        await using SegelDbContext db = _database.CreateContext();
        if (await db.StoredReports.AnyAsync(r => r.Period == period.Name, cancellationToken))
        {
            return false;
        }
        List<string> agencies = await db.Agencies.AsNoTracking().OrderBy(a => a.Code).Select(a => a.Code).ToListAsync(cancellationToken);
        var stored = new List<(StoredReportRecord Row, PeriodReport Report)>();
        foreach (string? scope in agencies.Prepend(null))
        {
            PeriodReport report = await _reports.ComputeAsync(period, scope, by, cancellationToken);
            string figures = JsonSerializer.Serialize(report, Json);
            stored.Add((new StoredReportRecord
            {
                Period = period.Name,
                Scope = scope ?? "",
                Figures = figures,
                Sha256 = SHA256.HashData(Encoding.UTF8.GetBytes(figures)),
                GeneratedAt = report.GeneratedAt,
            }, report));
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach ((StoredReportRecord row, _) in stored)
        {
            db.StoredReports.Add(row);
            AuditLog.Record(db, _time, by.ToActor(), "report.generated", Subject(row.Period, row.Scope), new { sha256 = Convert.ToHexStringLower(row.Sha256) });
        }
        await MailAsync(db, period, stored.Select(s => s.Row.Scope).ToList(), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            return false; // another node stored it first, and mailed
        }
        _outbox.NotifyQueued();
        return true;
    }

    /// <summary>Stored reports, newest first: supervisors see all; an agency head the regency's and their agency's.</summary>
    public async Task<IReadOnlyList<StoredReportView>> ListAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.Auditor | Role.AgencyHead, "read-supervision-reports");
        string? own = await OwnScopeAsync(by, cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        var rows = await db.StoredReports.AsNoTracking().Where(r => own == null || r.Scope == own)
            .Select(r => new { r.Id, r.Period, r.Scope, r.GeneratedAt, r.Sha256 }).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.GeneratedAt).ThenBy(r => r.Scope, StringComparer.Ordinal)
            .Select(r => new StoredReportView(r.Id, r.Period, r.Scope.Length == 0 ? null : r.Scope, r.GeneratedAt, Convert.ToHexStringLower(r.Sha256)))];
    }

    /// <summary>A stored report's figures, after checking them against the hash the audit chain recorded.</summary>
    public async Task<PeriodReport> OpenAsync(long id, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.Auditor | Role.AgencyHead, "read-supervision-reports");
        string? own = await OwnScopeAsync(by, cancellationToken);
        await using SegelDbContext db = _database.CreateContext();
        StoredReportRecord row = await db.StoredReports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && (own == null || r.Scope == own), cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoStoredReport", id));
        string subject = Subject(row.Period, row.Scope);
        string? recorded = await db.AuditRecords.AsNoTracking().Where(a => a.Action == "report.generated" && a.Subject == subject).Select(a => a.Details)
            .FirstOrDefaultAsync(cancellationToken);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(row.Figures)));
        if (recorded is null || !recorded.Contains($"\"{hash}\"", StringComparison.Ordinal) || hash != Convert.ToHexStringLower(row.Sha256))
        {
            string key = subject["report:".Length..];
            await IntegrityAlarm.RaiseAsync(db, "report", key, "read-a-stored-report", _time.GetUtcNow(), cancellationToken);
            throw IntegrityAlarm.Refusal("report", key, "read-a-stored-report");
        }
        return JsonSerializer.Deserialize<PeriodReport>(row.Figures, Json) ?? throw new InvalidOperationException($"Stored report {id} holds no figures.");
    }

    private static string Subject(string period, string scope) => $"report:{period}:{(scope.Length == 0 ? "regency" : scope)}";

    /// <summary>An agency head's agency code; null for those who read every report.</summary>
    private async Task<string?> OwnScopeAsync(Principal by, CancellationToken cancellationToken)
    {
        if (by.Has(Role.Admin | Role.PolicyAdmin | Role.Auditor))
        {
            return null;
        }
        await using SegelDbContext db = _database.CreateContext();
        return await db.Agencies.Where(a => a.Id == by.AgencyId).Select(a => a.Code).SingleOrDefaultAsync(cancellationToken)
            ?? throw SegelException.Forbidden(Localized.Of("Error.AgencyHeadAccountNamesNo"));
    }

    /// <summary>
    /// The announcements: the regency's report to administrators and policy administrators who are employees (their
    /// official address), each agency's to its heads — at their own address when they are employees, else at the
    /// correspondence address the agency last gave the RA on an application.
    /// </summary>
    private async Task MailAsync(SegelDbContext db, ReportPeriod period, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        int leaders = (int)(Role.Admin | Role.PolicyAdmin), heads = (int)Role.AgencyHead;
        var accounts = await (from u in db.Users.AsNoTracking()
                              where !u.Disabled && (u.Roles & (leaders | heads)) != 0
                              join e in db.Employees.AsNoTracking() on u.EmployeeId equals e.Id into linked
                              from e in linked.DefaultIfEmpty()
                              select new { u.Roles, u.AgencyId, Email = e == null ? null : e.Email }).ToListAsync(cancellationToken);
        var agencies = await db.Agencies.AsNoTracking().Select(a => new { a.Id, a.Code, a.Name }).ToListAsync(cancellationToken);
        var language = MailMessages.Indonesian;
        string link = $"{_baseUrl}/laporan";
        foreach (string to in accounts.Where(a => (a.Roles & leaders) != 0 && a.Email is not null).Select(a => a.Email!).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            _outbox.Enqueue(db, MailMessages.Compose("ReportReady", to, language, period.Name, _organization, link));
        }
        foreach (var agency in agencies.Where(a => scopes.Contains(a.Code)))
        {
            var own = accounts.Where(a => (a.Roles & heads) != 0 && a.AgencyId == agency.Id).ToList();
            if (own.Count == 0)
            {
                continue;
            }
            string? desk = await Lifecycle.EnrollmentQueries.LastContactAsync(db, agency.Id, cancellationToken);
            foreach (string to in own.Select(a => a.Email ?? desk).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            {
                _outbox.Enqueue(db, MailMessages.Compose("ReportReady", to, language, period.Name, $"{agency.Name} ({agency.Code})", link));
            }
        }
    }
}
