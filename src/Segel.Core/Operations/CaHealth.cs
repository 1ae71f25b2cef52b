using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;

namespace Segel.Core.Operations;

/// <summary>One CA certificate as operators watch it: when it ends and how fresh its CRL is.</summary>
public sealed record AuthorityHealth(string Slug, AuthorityRole Role, string Subject, string KeyAlgorithm, bool KeyOnHsm, DateTimeOffset NotAfter,
    long? CrlNumber, DateTimeOffset? CrlThisUpdate, DateTimeOffset? CrlNextUpdate, bool Healthy);

/// <summary>The work waiting on this CA: mail not yet delivered, applications and revocation requests before an RA officer, PDFs queued on this node.</summary>
public sealed record OperationsHealth(int OutboxBacklog, DateTimeOffset? OldestUnsent, int OutboxGivenUp, bool SmtpConfigured, int ApplicationsWaiting,
    int RevocationRequestsWaiting, int PdfWorkWaiting)
{
    /// <summary>Certificate changes not yet published to the LDAP directory (none counted when no directory is configured).</summary>
    public int DirectoryBacklog { get; init; }

    public DateTimeOffset? OldestUnpublished { get; init; }
}

/// <summary>
/// Something an operator should act on before it hurts, though the CA still answers relying parties: <c>crl-overdue</c>,
/// <c>outbox-stuck</c>, <c>smtp-not-configured</c>, <c>certificate-expiring</c>, <c>directory-stuck</c>, <c>recovery-short</c>. <see cref="Subject"/> names what (an authority, the
/// outbox), <see cref="Value"/> the figure (days left, messages waiting, hours since the last CRL).
/// </summary>
public sealed record HealthWarning(string Code, string Subject, long Value);

/// <summary>Whether the CA can answer relying parties: every issuer's CRL current, the OCSP and time-stamping certificates valid.</summary>
public sealed record CaHealthReport(string Database, IReadOnlyList<AuthorityHealth> Issuers, IReadOnlyList<AuthorityHealth> Responders, AuthorityHealth? Root,
    DateTimeOffset CheckedAt)
{
    public bool Healthy => Issuers.All(i => i.Healthy) && Responders.All(r => r.Healthy);

    public OperationsHealth Operations { get; init; } = new(0, null, 0, true, 0, 0, 0);

    public IReadOnlyList<HealthWarning> Warnings { get; init; } = [];

    /// <summary>The database schema: the last migration applied (what an upgrade moves forward, and a downgrade must not pass).</summary>
    public string? Schema { get; init; }

    /// <summary>
    /// Every CA, OCSP and TSA certificate once: the root, unless it is also listed as an issuer (it signs the
    /// authority revocation list, so it is one — and there its row carries that CRL).
    /// </summary>
    public IEnumerable<AuthorityHealth> Authorities => Distinct(Root, Issuers, Responders);

    internal static IEnumerable<AuthorityHealth> Distinct(AuthorityHealth? root, IEnumerable<AuthorityHealth> issuers, IEnumerable<AuthorityHealth> responders) =>
        new[] { root }.OfType<AuthorityHealth>().Where(r => !issuers.Any(i => i.Slug == r.Slug)).Concat(issuers).Concat(responders);

    /// <summary><c>ok</c>; <c>degraded</c> (it answers, but see <see cref="Warnings"/>); <c>failing</c> (a CRL or a responder certificate has run out).</summary>
    public string Status => !Healthy ? "failing" : Warnings.Count > 0 ? "degraded" : "ok";
}

/// <summary>A row failed its seal and Segel refused to act on it: what, what was refused, when.</summary>
public sealed record IntegrityAlarmNotice(string Subject, string Refused, DateTimeOffset At)
{
    /// <summary>"employee 1985…" as a reader of that language says it ("pegawai 1985…"): the kind of record is a word of its own.</summary>
    public static string SubjectIn(string subject, System.Globalization.CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(subject);
        int space = subject.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? subject : Segel.Texts.Localized.Word(subject[..space], culture) + subject[space..];
    }
}

/// <summary>The facts behind <c>/health</c> and the administrators' CA status page, read once for both.</summary>
public sealed class CaHealth
{
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly CrlPublisher _crls;
    private readonly CaSettings _settings;
    private readonly SmtpMailSender _mail;
    private readonly Signing.PdfWorkGate _pdfWork;
    private readonly TrustAnchors _anchors;
    private readonly TimeProvider _time;

    private readonly UpstreamStatus? _upstream;
    private readonly Configuration.DirectoryOptions? _directory;

    internal CaHealth(SegelDatabase database, AuthorityRing ring, CrlPublisher crls, CaSettings settings, SmtpMailSender mail,
        Signing.PdfWorkGate pdfWork, TrustAnchors anchors, TimeProvider time, UpstreamStatus? upstream = null, Configuration.DirectoryOptions? directory = null)
    {
        _directory = directory;
        _upstream = upstream;
        _anchors = anchors;
        _database = database;
        _ring = ring;
        _crls = crls;
        _settings = settings;
        _mail = mail;
        _pdfWork = pdfWork;
        _time = time;
    }

    /// <summary>
    /// The integrity alarm for the banner the portal shows administrators and auditors on every page, while it is
    /// recent (see <see cref="Audit.IntegrityAlarm"/>); null for anyone else, or when there is none.
    /// </summary>
    public async Task<IntegrityAlarmNotice?> AlarmForAsync(Principal caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.Has(Role.Admin | Role.Auditor))
        {
            return null;
        }
        await using SegelDbContext db = _database.CreateContext();
        return await Audit.IntegrityAlarm.RecentAsync(db, _time.GetUtcNow(), cancellationToken) is { } alarm
            ? new IntegrityAlarmNotice(alarm.Subject, alarm.Refused, alarm.At)
            : null;
    }

    /// <summary>Throws what the database throws when it does not answer; callers report that as down.</summary>
    public async Task<CaHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        string? schema;
        await using (SegelDbContext db = _database.CreateContext())
        {
            await db.Authorities.AnyAsync(cancellationToken);
            schema = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        }
        DateTimeOffset now = _time.GetUtcNow();
        IReadOnlyList<LoadedAuthority> all = await _ring.GetAllAsync(cancellationToken);
        var issuers = new List<AuthorityHealth>();
        foreach (LoadedAuthority issuer in await _ring.GetIssuersAsync(cancellationToken))
        {
            if (!await _crls.IsServingAsync(issuer, cancellationToken))
            {
                continue; // rolled over, and its last certificate has expired: it publishes nothing any more, by design
            }
            CrlView? crl = await _crls.GetLatestAsync(issuer.Id, cancellationToken);
            issuers.Add(Of(issuer, crl, crl is not null && crl.NextUpdate > now && issuer.Record.NotAfter > now));
        }
        List<AuthorityHealth> responders = all.Where(a => a.Record.Role is AuthorityRole.OcspResponder or AuthorityRole.TimeStamping && a.Record.Active)
            .Select(r => Of(r, null, r.Record.NotAfter > now)).ToList();
        LoadedAuthority? root = all.FirstOrDefault(a => a.Record.Role == AuthorityRole.RootCa && a.Record.Active);
        AuthorityHealth? rootHealth = root is null ? null : Of(root, null, root.Record.NotAfter > now);
        OperationsHealth operations = await OperationsAsync(now, cancellationToken);
        List<HealthWarning> warnings = Warnings(issuers, responders, rootHealth, operations, now);
        await _anchors.AllAsync(cancellationToken); // fetches the trusted lists if they never were, so what follows says how it went
        foreach ((string url, string problem) in _anchors.ListProblems)
        {
            // The last good list is still in use, but it will go out of date: someone must look.
            warnings.Add(new HealthWarning("trusted-list-unavailable", $"{url} ({problem})", 0));
        }
        if (_upstream?.LastProblem is { } upstreamProblem)
        {
            // Statuses the upstream would not give, or revocations it has not heard yet: asked again hourly, but someone must look.
            warnings.Add(new HealthWarning("upstream-unavailable", upstreamProblem.Url, upstreamProblem.Unanswered));
        }
        await using (SegelDbContext db = _database.CreateContext())
        {
            if (await Audit.IntegrityAlarm.RecentAsync(db, now, cancellationToken) is { } alarm)
            {
                // A row failed its seal and an action was refused: someone must look (segel audit verify).
                warnings.Add(new HealthWarning("integrity-alarm", alarm.Subject, (long)(now - alarm.At).TotalHours));
            }
            warnings.AddRange(await RecoveryShortAsync(db, cancellationToken));
        }
        return new CaHealthReport(_database.Provider.ToString().ToLowerInvariant(), issuers, responders, rootHealth, now)
        {
            Operations = operations,
            Warnings = warnings,
            Schema = schema,
        };
    }

    /// <summary>Left of its life when a CA, OCSP or TSA certificate is worth a warning (the OCSP responder renews itself with a quarter left).</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(90);

    /// <summary>How long undelivered mail may wait before the outbox counts as stuck.</summary>
    public static readonly TimeSpan OutboxPatience = TimeSpan.FromMinutes(30);

    private List<HealthWarning> Warnings(List<AuthorityHealth> issuers, List<AuthorityHealth> responders, AuthorityHealth? root, OperationsHealth operations,
        DateTimeOffset now)
    {
        var warnings = new List<HealthWarning>();
        // The CRL job republishes a day-old CRL within minutes; an hour past that, it is not doing its work.
        foreach (AuthorityHealth issuer in issuers.Where(i => i.CrlThisUpdate is { } at && now - at > _settings.CrlRefresh + TimeSpan.FromHours(1)))
        {
            warnings.Add(new HealthWarning("crl-overdue", issuer.Slug, (long)(now - issuer.CrlThisUpdate!.Value).TotalHours));
        }
        if (!operations.SmtpConfigured)
        {
            warnings.Add(new HealthWarning("smtp-not-configured", "smtp", operations.OutboxBacklog));
        }
        else if (operations.OutboxGivenUp > 0 || (operations.OldestUnsent is { } oldest && now - oldest > OutboxPatience))
        {
            warnings.Add(new HealthWarning("outbox-stuck", "outbox", operations.OutboxBacklog + operations.OutboxGivenUp));
        }
        if (operations.OldestUnpublished is { } waiting && now - waiting > OutboxPatience)
        {
            // A revoked certificate still in the directory invites colleagues to encrypt to a key that may be in the wrong hands.
            warnings.Add(new HealthWarning("directory-stuck", "directory", operations.DirectoryBacklog));
        }
        foreach (AuthorityHealth a in CaHealthReport.Distinct(root, issuers, responders)
            .Where(a => a.NotAfter > now && a.NotAfter - now < ExpiryWarning))
        {
            warnings.Add(new HealthWarning("certificate-expiring", a.Slug, (long)(a.NotAfter - now).TotalDays));
        }
        return warnings;
    }

    /// <summary>
    /// A recovery key (the current one, or a retired one that keys Segel still keeps are escrowed to) with fewer RA officers
    /// able to open their shares than it takes: an officer who left (account disabled, role taken away) or whose kept key is
    /// gone cannot approve, and below the threshold those escrows can never be opened. Known before a holder needs it.
    /// </summary>
    private static async Task<List<HealthWarning>> RecoveryShortAsync(SegelDbContext db, CancellationToken cancellationToken)
    {
        int officer = (int)Role.RaOfficer;
        var keys = await db.RecoveryKeys.AsNoTracking()
            .Where(k => k.RetiredAt == null || db.HolderKeys.Any(h => h.RecoveryKeyId == k.Id && h.Escrow != null && h.DestroyedAt == null))
            .OrderBy(k => k.Id).Select(k => new { k.Id, k.Threshold }).ToListAsync(cancellationToken);
        var warnings = new List<HealthWarning>();
        foreach (var key in keys)
        {
            int able = await (from s in db.RecoveryShares.AsNoTracking()
                              join u in db.Users.AsNoTracking() on s.EmployeeId equals u.EmployeeId
                              where s.RecoveryKeyId == key.Id && !u.Disabled && (u.Roles & officer) != 0 &&
                                  db.HolderKeys.Any(h => h.CertificateId == s.CertificateId && h.DestroyedAt == null)
                              select s.EmployeeId).Distinct().CountAsync(cancellationToken);
            if (able < Math.Max(2, key.Threshold))
            {
                warnings.Add(new HealthWarning("recovery-short", $"recovery-key:{key.Id}", able));
            }
        }
        return warnings;
    }

    private async Task<OperationsHealth> OperationsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        int maxAttempts = MailOutbox.MaxAttempts;
        int backlog = await db.OutboxMail.CountAsync(m => m.SentAt == null && m.Attempts < maxAttempts, cancellationToken);
        int givenUp = await db.OutboxMail.CountAsync(m => m.SentAt == null && m.Attempts >= maxAttempts, cancellationToken);
        DateTimeOffset? oldest = backlog == 0 ? null
            : await db.OutboxMail.Where(m => m.SentAt == null && m.Attempts < maxAttempts).OrderBy(m => m.Id).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        int applications = await db.Enrollments.CountAsync(e => e.State == EnrollmentState.Submitted, cancellationToken);
        int revocations = await db.RevocationRequests.CountAsync(r => r.State == RevocationRequestState.Pending
            || r.State == RevocationRequestState.Effective, cancellationToken);
        int unpublished = 0;
        DateTimeOffset? oldestUnpublished = null;
        if (_directory?.Configured == true)
        {
            unpublished = await db.DirectoryChanges.CountAsync(c => c.PublishedAt == null, cancellationToken);
            oldestUnpublished = unpublished == 0 ? null
                : await db.DirectoryChanges.Where(c => c.PublishedAt == null).OrderBy(c => c.Id).Select(c => (DateTimeOffset?)c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        }
        return new OperationsHealth(backlog, oldest, givenUp, _mail.Configured, applications, revocations, _pdfWork.Waiting)
        {
            DirectoryBacklog = unpublished,
            OldestUnpublished = oldestUnpublished,
        };
    }

    private static AuthorityHealth Of(LoadedAuthority a, CrlView? crl, bool healthy) =>
        new(a.Slug, a.Record.Role, a.Certificate.Subject, a.Record.KeyAlgorithm, a.Record.KeyUri.StartsWith(Pki.Keys.Pkcs11KeyStore.Scheme + ":", StringComparison.Ordinal), a.Record.NotAfter,
            crl?.Number, crl?.ThisUpdate, crl?.NextUpdate, healthy);
}
