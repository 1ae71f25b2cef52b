using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

public sealed record EnrollmentFilter(string? State = null, string? Kind = null, string? Agency = null, string? Search = null, int? Offset = null, int? Limit = null);

public sealed record EnrollmentSummary(long Id, string Kind, string State, string Nip, string Name, string Agency, string Profile,
    DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? DecidedAt, int Rejections);

public sealed record DocumentSummary(string Kind, string ContentType, long Size, string Sha256, string? FileName, string UploadedBy, DateTimeOffset UploadedAt)
{
    internal static DocumentSummary Of(DocumentRecord d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Kind.ToName(), d.ContentType, d.Size, Convert.ToHexString(d.Sha256), d.FileName, d.UploadedBy, d.UploadedAt);
    }
}

public sealed record DecisionSummary(long Id, string Decision, string Officer, DateTimeOffset At, string Payload, string CmsBase64);

public sealed record EnrollmentDetail(EnrollmentSummary Summary, string HolderEmail, string ContactEmail, string CreatedBy, bool HolderConfirmed,
    int? AgreementVersion, string? AgreementSha256, DateTimeOffset? AgreementAcceptedAt, string KeySource, string? RejectionReason, string? DecidedBy,
    string? CertificateSerial, string? ReplacesSerial, IReadOnlyList<DocumentSummary> Documents, IReadOnlyList<string> Missing, IReadOnlyList<DecisionSummary> Decisions)
{
    /// <summary>Documents the RA sent back (named in its signed decision) that have not been replaced yet.</summary>
    public IReadOnlyList<string> Returned { get; init; } = [];
}

/// <summary>The RA's queue at a glance: how many wait, since when the oldest, and how long decisions took over the last 30 days.</summary>
public sealed record ReviewQueueFigures(int Waiting, DateTimeOffset? OldestSubmittedAt, int Decided30Days, double? TurnaroundMedianHours30Days);

public sealed record DocumentContent(string ContentType, string? FileName, byte[] Content, string Sha256);

/// <summary>
/// Reading applications: the RA's queue (oldest submission first), an agency's own list, one application in
/// full. Details and documents carry personal data (the KTP scan above all), so every read of them is audited.
/// </summary>
public sealed class EnrollmentQueries
{
    private readonly LifecycleContext _context;

    internal EnrollmentQueries(LifecycleContext context) => _context = context;

    public static void RequireReader(Principal by)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.RaOfficer | Role.Admin | Role.Auditor | Role.AgencyHead, "read-applications");
    }

    /// <summary>
    /// The contact address to offer an agency head on a new application: the one their agency gave on its latest
    /// application, else their own official address when their account is an employee's; null when neither exists.
    /// </summary>
    public async Task<string?> SuggestedContactAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.AgencyHead, "create-applications");
        await using SegelDbContext db = _context.Database.CreateContext();
        if (by.AgencyId is int agency && await LastContactAsync(db, agency, cancellationToken) is string desk)
        {
            return desk;
        }
        return by.EmployeeId is long employee
            ? await db.Employees.AsNoTracking().Where(e => e.Id == employee).Select(e => e.Email).FirstOrDefaultAsync(cancellationToken)
            : null;
    }

    /// <summary>The correspondence address an agency gave the RA on its latest application, or null.</summary>
    internal static Task<string?> LastContactAsync(SegelDbContext db, int agencyId, CancellationToken cancellationToken) =>
        db.Enrollments.AsNoTracking().Where(e => e.AgencyId == agencyId).OrderByDescending(e => e.Id).Select(e => (string?)e.ContactEmail)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>The RA's queue and its recent pace (RA officers, administrators and auditors).</summary>
    public async Task<ReviewQueueFigures> QueueFiguresAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.RaOfficer | Role.Admin | Role.Auditor, "read-the-ras-queue");
        await using SegelDbContext db = _context.Database.CreateContext();
        IQueryable<EnrollmentRecord> waiting = db.Enrollments.AsNoTracking().Where(e => e.State == EnrollmentState.Submitted);
        int count = await waiting.CountAsync(cancellationToken);
        DateTimeOffset? oldest = count == 0 ? null : await waiting.Where(e => e.SubmittedAt != null).OrderBy(e => e.SubmittedAt).Select(e => e.SubmittedAt).FirstOrDefaultAsync(cancellationToken);
        DateTimeOffset since = _context.Time.GetUtcNow().AddDays(-30);
        List<double> hours = [.. (await db.Enrollments.AsNoTracking()
                .Where(e => e.DecidedAt >= since && e.SubmittedAt != null && (e.State == EnrollmentState.Approved || e.State == EnrollmentState.Rejected))
                .Select(e => new { e.SubmittedAt, e.DecidedAt }).ToListAsync(cancellationToken))
            .Select(e => (e.DecidedAt!.Value - e.SubmittedAt!.Value).TotalHours).Order()];
        return new ReviewQueueFigures(count, oldest, hours.Count, hours.Count == 0 ? null : Math.Round(hours[(hours.Count - 1) / 2], 1));
    }

    public async Task<Page<EnrollmentSummary>> ListAsync(EnrollmentFilter filter, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RequireReader(by);
        (int offset, int limit) = Paging.Check(filter.Offset, filter.Limit);
        await using SegelDbContext db = _context.Database.CreateContext();
        // Filters on the applications table alone, so counting 10,000 pending ones needs no join.
        IQueryable<EnrollmentRecord> query = db.Enrollments.AsNoTracking();
        if (by.Has(Role.AgencyHead) && !by.Has(Role.RaOfficer | Role.Admin | Role.Auditor))
        {
            query = query.Where(e => e.AgencyId == by.AgencyId);
        }
        if (!string.IsNullOrWhiteSpace(filter.State))
        {
            EnrollmentState state = LifecycleTerms.ParseState(filter.State);
            query = query.Where(e => e.State == state);
        }
        if (!string.IsNullOrWhiteSpace(filter.Kind))
        {
            EnrollmentKind kind = LifecycleTerms.ParseKind(filter.Kind);
            query = query.Where(e => e.Kind == kind);
        }
        if (!string.IsNullOrWhiteSpace(filter.Agency))
        {
            int agencyId = await AgencyLookup.IdOfAsync(db, filter.Agency, cancellationToken) ?? -1;
            query = query.Where(e => e.AgencyId == agencyId);
        }
        foreach (string word in SearchText.Words(filter.Search))
        {
            string pattern = SearchText.ContainsPattern(word);
            query = query.Where(e => db.Employees.Any(p => p.Id == e.EmployeeId && EF.Functions.Like(p.SearchText, pattern, "\\")));
        }
        // The queue is worked oldest submission first.
        var rows = await (from e in query.OrderBy(e => e.SubmittedAt).ThenBy(e => e.Id).Skip(offset).Take(limit)
                          join p in db.Employees.AsNoTracking() on e.EmployeeId equals p.Id
                          join a in db.Agencies.AsNoTracking() on e.AgencyId equals a.Id
                          select new { e, p.Nip, p.Name, AgencyCode = a.Code })
            .ToListAsync(cancellationToken);
        rows = rows.OrderBy(x => x.e.SubmittedAt).ThenBy(x => x.e.Id).ToList();
        int total = await Paging.TotalAsync(query, offset, limit, rows.Count, cancellationToken);
        return new Page<EnrollmentSummary>(rows.Select(x => Summarise(x.e, x.Nip, x.Name, x.AgencyCode)).ToList(), total, offset, limit);
    }

    public async Task<EnrollmentDetail> GetAsync(long id, Principal by, string? origin = null, CancellationToken cancellationToken = default)
    {
        RequireReader(by);
        await using SegelDbContext db = _context.Database.CreateContext();
        EnrollmentRecord e = await db.Enrollments.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchApplication", id));
        LifecycleContext.RequireOwnAgency(by, e.AgencyId, "read-applications");
        EmployeeRecord p = await db.Employees.AsNoTracking().SingleAsync(x => x.Id == e.EmployeeId, cancellationToken);
        string agency = await db.Agencies.Where(a => a.Id == e.AgencyId).Select(a => a.Code).SingleAsync(cancellationToken);
        List<DocumentSummary> documents = (await db.Documents.AsNoTracking().Where(d => d.EnrollmentId == id && !d.Superseded).OrderBy(d => d.Kind)
            .Select(d => new { d.Kind, d.ContentType, d.Size, d.Sha256, d.FileName, d.UploadedBy, d.UploadedAt }).ToListAsync(cancellationToken))
            .Select(d => new DocumentSummary(d.Kind.ToName(), d.ContentType, d.Size, Convert.ToHexString(d.Sha256), d.FileName, d.UploadedBy, d.UploadedAt)).ToList();
        List<DecisionSummary> decisions = (await db.Decisions.AsNoTracking().Where(d => d.SubjectType == "enrollment" && d.SubjectId == id).OrderBy(d => d.Id).ToListAsync(cancellationToken))
            .Select(ToSummary).ToList();
        string? certificate = e.CertificateId is long c ? await db.Certificates.Where(x => x.Id == c).Select(x => x.SerialHex).SingleAsync(cancellationToken) : null;
        string? replaces = e.ReplacesCertificateId is long r ? await db.Certificates.Where(x => x.Id == r).Select(x => x.SerialHex).SingleAsync(cancellationToken) : null;
        List<DocumentKind> returned = await Enrollments.ReturnedAsync(db, e, cancellationToken);
        // In English, as the API has always given it; the portal shows only whether anything is missing.
        List<string> missing = ApplicationFlow.IsOpen(e.State) ? [.. (await Enrollments.MissingAsync(db, e, returned, cancellationToken)).Select(m => m.ToString())] : [];
        AuditLog.Record(db, _context.Time, by.ToActor(origin), "personal-data.read", $"enrollment:{id}", new { employee = p.Nip, what = "application" });
        await db.SaveChangesAsync(cancellationToken);
        return new EnrollmentDetail(Summarise(e, p.Nip, p.Name, agency), e.HolderEmail, e.ContactEmail, e.CreatedBy, e.EmailConfirmedAt is not null,
            e.AgreementVersion, e.AgreementSha256 is null ? null : Convert.ToHexString(e.AgreementSha256), e.AgreementAcceptedAt, e.Csr is null ? "segel" : "csr",
            e.RejectionReason, e.DecidedBy, certificate, replaces, documents, missing, decisions)
        {
            Returned = [.. returned.Select(k => k.ToName())],
        };
    }

    /// <summary>One attached document's bytes; audited, because a KTP scan is the most sensitive thing Segel holds.</summary>
    public async Task<DocumentContent> ReadDocumentAsync(long id, DocumentKind kind, Principal by, string? origin = null, CancellationToken cancellationToken = default)
    {
        RequireReader(by);
        await using SegelDbContext db = _context.Database.CreateContext();
        EnrollmentRecord e = await db.Enrollments.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchApplication", id));
        LifecycleContext.RequireOwnAgency(by, e.AgencyId, "read-applications");
        DocumentRecord document = await db.Documents.AsNoTracking().Where(d => d.EnrollmentId == id && d.Kind == kind && !d.Superseded)
            .SingleOrDefaultAsync(cancellationToken) ?? throw SegelException.NotFound(Localized.Of("Error.ApplicationHasNo", id, kind.ToName()));
        AuditLog.Record(db, _context.Time, by.ToActor(origin), "personal-data.read", $"enrollment:{id}",
            new { document = kind.ToName(), sha256 = Convert.ToHexString(document.Sha256) });
        await db.SaveChangesAsync(cancellationToken);
        return new DocumentContent(document.ContentType, document.FileName, DocumentSealing.Open(_context.PersonalData, document), Convert.ToHexString(document.Sha256));
    }

    internal static DecisionSummary ToSummary(DecisionRecord d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, d.Decision, d.Officer, d.At, System.Text.Encoding.UTF8.GetString(d.Payload), Convert.ToBase64String(d.Cms));
    }

    private static EnrollmentSummary Summarise(EnrollmentRecord e, string nip, string name, string agency) =>
        new(e.Id, e.Kind.ToName(), e.State.ToName(), nip, name, agency, e.Profile, e.CreatedAt, e.SubmittedAt, e.DecidedAt, e.Rejections);
}
