using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>A finding to record: the report's period, the agency concerned (none for the regency), the follow-up and when it is due.</summary>
public sealed record NewFinding(string? Period, string? Agency, string? Finding, string? FollowUp, DateOnly? DueDate);

/// <summary>A finding as reports and pages show it; <see cref="Overdue"/> when open past its due date at the time asked about.</summary>
public sealed record FindingView(long Id, string Period, string? Agency, string Finding, string FollowUp, DateOnly DueDate, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, string? ClosedBy, string? ClosingNote, bool Overdue)
{
    public bool Open => ClosedAt is null;
}

/// <summary>
/// The evaluation record (Pasal 25): supervisors — administrators, policy administrators, auditors — attach findings
/// to a report's period, each with the agency concerned, a follow-up and a due date; a finding stays open until a
/// supervisor closes it with a note (once: a conditional update), and every report whose period it was open in shows
/// it with its status, so the next period's report tells whether it was followed up. Agency heads read their agency's.
/// </summary>
public sealed class Findings
{
    private const int MaxText = 2000;
    private readonly SegelDatabase _database;
    private readonly TimeProvider _time;

    internal Findings(SegelDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public async Task<FindingView> AddAsync(NewFinding finding, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.Auditor, "record-evaluation-findings");
        ReportPeriod period = ReportPeriod.Parse(finding.Period);
        string text = Required(finding.Finding, "finding");
        string followUp = Required(finding.FollowUp, "followUp");
        DateOnly due = finding.DueDate ?? throw SegelException.Invalid("dueDate", Localized.Of("Error.GiveDateFollowUpDue"));
        DateTimeOffset now = _time.GetUtcNow();
        if (due < DateOnly.FromDateTime(now.ToOffset(ReportPeriod.Wita).DateTime))
        {
            throw SegelException.Invalid("dueDate", Localized.Of("Error.FollowUpCannotDueBefore"));
        }
        await using SegelDbContext db = _database.CreateContext();
        int? agency = null;
        if (!string.IsNullOrWhiteSpace(finding.Agency))
        {
            string code = AgencyLookup.Normalise(finding.Agency);
            agency = await AgencyLookup.IdOfAsync(db, code, cancellationToken) ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchAgencyCode", code));
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = new FindingRecord
        {
            Period = period.Name, AgencyId = agency, Finding = text, FollowUp = followUp, DueDate = due, CreatedBy = by.Name, CreatedAt = now,
        };
        db.Findings.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        AuditLog.Record(db, _time, by.ToActor(origin), "finding.recorded", $"finding:{record.Id.ToString(CultureInfo.InvariantCulture)}",
            new { period = period.Name, agency = finding.Agency?.Trim().ToUpperInvariant(), finding = text, followUp, due = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await ListAsync(db, r => r.Id == record.Id, now, cancellationToken)).Single();
    }

    /// <summary>Closes an open finding with a note on how it was followed up; a finding is closed once.</summary>
    public async Task<FindingView> CloseAsync(long id, string? note, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.Auditor, "close-evaluation-findings");
        string text = Required(note, "note");
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        if (!await db.Findings.AnyAsync(f => f.Id == id, cancellationToken))
        {
            throw SegelException.NotFound(Localized.Of("Error.NoSuchFinding", id));
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int closed = await db.Findings.Where(f => f.Id == id && f.ClosedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.ClosedAt, now).SetProperty(f => f.ClosedBy, by.Name).SetProperty(f => f.ClosingNote, text), cancellationToken);
        if (closed == 0)
        {
            throw SegelException.Conflict(Localized.Of("Error.FindingAlreadyClosed", id));
        }
        AuditLog.Record(db, _time, by.ToActor(origin), "finding.closed", $"finding:{id.ToString(CultureInfo.InvariantCulture)}", new { note = text });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await ListAsync(db, r => r.Id == id, now, cancellationToken)).Single();
    }

    /// <summary>Findings, open ones first then newest: supervisors every one, an agency head their agency's.</summary>
    public async Task<IReadOnlyList<FindingView>> ListAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.PolicyAdmin | Role.Auditor | Role.AgencyHead, "read-evaluation-findings");
        int? own = by.Has(Role.Admin | Role.PolicyAdmin | Role.Auditor) ? null : by.AgencyId ?? -1;
        await using SegelDbContext db = _database.CreateContext();
        return [.. (await ListAsync(db, r => own == null || r.AgencyId == own, _time.GetUtcNow(), cancellationToken))
            .OrderByDescending(f => f.Open).ThenByDescending(f => f.CreatedAt)];
    }

    /// <summary>
    /// The findings a report for [from, to) shows: recorded before its end and not closed before its start (so a
    /// finding of one half-year appears, open or closed, in the next one's report), with their status at its end.
    /// </summary>
    internal static async Task<IReadOnlyList<FindingView>> InPeriodAsync(SegelDbContext db, int? agency, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<FindingView> all = await ListAsync(db, f => f.CreatedAt < to && (f.ClosedAt == null || f.ClosedAt >= from) && (agency == null || f.AgencyId == agency),
            to, cancellationToken);
        // As the period's end saw it: a finding closed after the end was still open then.
        return [.. all.Select(f => f.ClosedAt >= to ? f with { ClosedAt = null, ClosedBy = null, ClosingNote = null, Overdue = Overdue(f.DueDate, to) } : f)
            .OrderBy(f => f.CreatedAt)];
    }

    private static async Task<IReadOnlyList<FindingView>> ListAsync(SegelDbContext db, System.Linq.Expressions.Expression<Func<FindingRecord, bool>> filter,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        var rows = await (from f in db.Findings.AsNoTracking().Where(filter)
                          join a in db.Agencies.AsNoTracking() on f.AgencyId equals (int?)a.Id into agencies
                          from a in agencies.DefaultIfEmpty()
                          select new { f, Code = a == null ? null : a.Code }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new FindingView(r.f.Id, r.f.Period, r.Code, r.f.Finding, r.f.FollowUp, r.f.DueDate, r.f.CreatedBy, r.f.CreatedAt, r.f.ClosedAt,
            r.f.ClosedBy, r.f.ClosingNote, r.f.ClosedAt is null && Overdue(r.f.DueDate, at)))];
    }

    private static bool Overdue(DateOnly due, DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(ReportPeriod.Wita).DateTime) > due;

    private static string Required(string? value, string field)
    {
        string text = (value ?? "").Trim();
        return text.Length is 0 or > MaxText ? throw SegelException.Invalid(field, Localized.Of("Error.TextLengthOutOfRange", field, MaxText)) : text;
    }
}
