using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Privacy;
using Segel.Core.Settings;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Supervision;

/// <summary>What a complainant files: the topic, what it is about, what happened, and optionally how to reach them.</summary>
public sealed record NewComplaint(string? Topic, string? Reference, string? Text, string? Name = null, string? Email = null);

/// <summary>A complaint's number and the code (shown once) with which the complainant follows it.</summary>
public sealed record FiledComplaint(string Number, string TrackingCode);

public sealed record ComplaintAnswerView(string By, string Text, DateTimeOffset At);

/// <summary>A complaint as the RA and auditors see it; <see cref="Name"/> and <see cref="Email"/> are left out for the complainant's own view.</summary>
public sealed record ComplaintView(string Number, string Topic, string? Reference, string Text, string State, DateTimeOffset FiledAt, DateTimeOffset? ClosedAt,
    DateTimeOffset? ForwardedAt, string? FiledBy, string? Name, string? Email, IReadOnlyList<ComplaintAnswerView> Answers);

/// <summary>
/// Complaints (Pasal 16(2)e, 16(6)): anyone — a holder signed in, or a member of the public from the verification
/// page — files one about a certificate, a signature, an RA officer or anything else; it gets a number and a tracking
/// code; RA officers and administrators answer and close it; auditors and policy administrators read them all. A
/// complaint about an RA officer is forwarded once, by e-mail, to the national CA's address from the settings. Texts and
/// contacts are sealed at rest; every step is an audit record carrying the text's hash.
/// </summary>
public sealed class Complaints
{
    public const int MaxText = 4000;
    public const int MinText = 10;
    public static readonly IReadOnlyList<string> Topics = ["certificate", "signature", "ra-officer", "other"];
    public static readonly IReadOnlyList<string> States = ["open", "answered", "closed"];
    private const string Purpose = "complaint";
    private const string Prefix = "PGD-";
    private readonly SegelDatabase _database;
    private readonly PersonalDataProtector _personalData;
    private readonly MailOutbox _outbox;
    private readonly RegencySettingsStore _settings;
    private readonly string _organization;
    private readonly string _baseUrl;
    private readonly TimeProvider _time;

    internal Complaints(SegelDatabase database, PersonalDataProtector personalData, MailOutbox outbox, RegencySettingsStore settings, string organization,
        string baseUrl, TimeProvider time)
    {
        _database = database;
        _personalData = personalData;
        _outbox = outbox;
        _settings = settings;
        _organization = organization;
        _baseUrl = baseUrl.TrimEnd('/');
        _time = time;
    }

    /// <summary>Files a complaint; <paramref name="by"/> is null for a member of the public.</summary>
    public async Task<FiledComplaint> FileAsync(NewComplaint complaint, Principal? by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        string topic = (complaint.Topic ?? "").Trim().ToLowerInvariant();
        if (!Topics.Contains(topic))
        {
            throw SegelException.Invalid("topic", Localized.Of("Error.ComplaintAboutCertificateSignatureRa"));
        }
        string text = (complaint.Text ?? "").Trim();
        if (text.Length is < MinText or > MaxText)
        {
            throw SegelException.Invalid("text", Localized.Of("Error.DescribeComplaintCharacters", MinText, MaxText));
        }
        string? reference = Optional(complaint.Reference, 200, "reference");
        string? name = Optional(complaint.Name, 200, "name");
        string? email = Optional(complaint.Email, 254, "email");
        if (email is not null && (!System.Net.Mail.MailAddress.TryCreate(email, out System.Net.Mail.MailAddress? parsed) || parsed.Address != email))
        {
            throw SegelException.Invalid("email", Localized.Of("Error.NotEMailAddress", email));
        }
        string code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        DateTimeOffset now = _time.GetUtcNow();
        var record = new ComplaintRecord
        {
            Topic = topic,
            Reference = reference,
            TextSealed = _personalData.Seal(Purpose, text),
            ContactSealed = name is null && email is null ? null : _personalData.Seal(Purpose, JsonSerializer.Serialize(new Contact(name, email))),
            FiledBy = by?.Name,
            TrackingHash = SHA256.HashData(Encoding.UTF8.GetBytes(code)),
            State = "open",
            FiledAt = now,
        };
        await using SegelDbContext db = _database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Complaints.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        string number = Number(record.Id);
        AuditLog.Record(db, _time, by?.ToActor(origin) ?? new Actor("public", origin), "complaint.filed", $"complaint:{number}",
            new { topic, reference, sha256 = Hash(text) });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FiledComplaint(number, code);
    }

    /// <summary>Complaints, newest first, optionally in one state (RA officers, administrators, policy administrators, auditors).</summary>
    public async Task<IReadOnlyList<ComplaintView>> ListAsync(string? state, int limit, Principal by, CancellationToken cancellationToken = default)
    {
        RequireReader(by);
        (_, int take) = Paging.Check(0, limit);
        string? wanted = string.IsNullOrWhiteSpace(state) ? null : state.Trim().ToLowerInvariant();
        if (wanted is not null && !States.Contains(wanted))
        {
            throw SegelException.Invalid("state", Localized.Of("Error.ComplaintOpenAnsweredClosedNot", wanted));
        }
        await using SegelDbContext db = _database.CreateContext();
        List<ComplaintRecord> rows = await db.Complaints.AsNoTracking().Where(c => wanted == null || c.State == wanted)
            .OrderByDescending(c => c.FiledAt).ThenByDescending(c => c.Id).Take(take).ToListAsync(cancellationToken);
        return [.. rows.Select(r => View(r, [], contact: true))];
    }

    /// <summary>One complaint with its answers, for the RA and auditors.</summary>
    public async Task<ComplaintView> GetAsync(string number, Principal by, CancellationToken cancellationToken = default)
    {
        RequireReader(by);
        await using SegelDbContext db = _database.CreateContext();
        ComplaintRecord record = await FindAsync(db, number, cancellationToken);
        return View(record, await AnswersAsync(db, record.Id, cancellationToken), contact: true);
    }

    /// <summary>The complainant's own view, by the number and the tracking code; a wrong code is told apart from nothing.</summary>
    public async Task<ComplaintView> TrackAsync(string number, string code, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        ComplaintRecord? record = Id(number) is long id ? await db.Complaints.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes((code ?? "").Trim().ToLowerInvariant()));
        if (record is null || !CryptographicOperations.FixedTimeEquals(given, record.TrackingHash))
        {
            throw SegelException.NotFound(Localized.Of("Error.NoComplaintNumberTrackingCode"));
        }
        return View(record, await AnswersAsync(db, record.Id, cancellationToken), contact: false);
    }

    /// <summary>An RA officer's or administrator's answer; <paramref name="close"/> closes the complaint with it. A closed complaint takes no more.</summary>
    public async Task<ComplaintView> AnswerAsync(string number, string? text, bool close, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.RaOfficer | Role.Admin, "answer-complaints");
        string answer = (text ?? "").Trim();
        if (answer.Length is < MinText or > MaxText)
        {
            throw SegelException.Invalid("answer", Localized.Of("Error.WriteAnswerCharacters", MinText, MaxText));
        }
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        ComplaintRecord record = await FindAsync(db, number, cancellationToken, tracked: true);
        if (record.State == "closed")
        {
            throw SegelException.Conflict(Localized.Of("Error.ComplaintClosedTakesNoMore", Number(record.Id)));
        }
        record.State = close ? "closed" : "answered";
        record.ClosedAt = close ? now : null;
        record.Revision++;
        db.ComplaintAnswers.Add(new ComplaintAnswerRecord { ComplaintId = record.Id, By = by.Name, TextSealed = _personalData.Seal(Purpose, answer), At = now });
        AuditLog.Record(db, _time, by.ToActor(origin), close ? "complaint.closed" : "complaint.answered", $"complaint:{Number(record.Id)}", new { sha256 = Hash(answer) });
        if (ContactOf(record)?.Email is { } email)
        {
            CultureInfo language = MailMessages.Indonesian;
            _outbox.Enqueue(db, MailMessages.Compose("ComplaintAnswered", email, language, Number(record.Id), ContactOf(record)?.Name ?? email, _organization, answer,
                record.State, $"{_baseUrl}/pengaduan/lacak"));
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw SegelException.Conflict(Localized.Of("Error.SomeoneElseAnsweredComplaintSame", Number(record.Id)));
        }
        _outbox.NotifyQueued();
        return View(record, await AnswersAsync(db, record.Id, cancellationToken), contact: true);
    }

    /// <summary>
    /// Forwards a complaint about an RA officer to the national CA's address from the settings (Pasal 16(6)), once:
    /// a conditional update marks it, so two officers pressing at once send one e-mail.
    /// </summary>
    public async Task<ComplaintView> ForwardAsync(string number, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.RaOfficer | Role.Admin | Role.PolicyAdmin, "forward-complaints");
        string to = (await _settings.GetAsync(cancellationToken)).NationalCaEmail
            ?? throw SegelException.Refused(Localized.Of("Error.NationalCaContactAddressNot"));
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        ComplaintRecord record = await FindAsync(db, number, cancellationToken);
        if (record.Topic != "ra-officer")
        {
            throw SegelException.Refused(Localized.Of("Error.ComplaintAboutRaOfficerForwarded"));
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int marked = await db.Complaints.Where(c => c.Id == record.Id && c.ForwardedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ForwardedAt, now).SetProperty(c => c.Revision, c => c.Revision + 1), cancellationToken);
        if (marked == 0)
        {
            throw SegelException.Conflict(Localized.Of("Error.ComplaintAlreadyForwardedNationalCa", Number(record.Id)));
        }
        Contact? contact = ContactOf(record);
        string who = contact is null ? "-" : string.Join(", ", new[] { contact.Name, contact.Email }.Where(x => x is not null));
        _outbox.Enqueue(db, MailMessages.Compose("ComplaintForwarded", to, MailMessages.Indonesian, _organization, Number(record.Id),
            record.FiledAt.ToOffset(ReportPeriod.Wita).ToString("d MMMM yyyy HH:mm", MailMessages.Indonesian) + " WITA", record.Reference ?? "-",
            _personalData.Open(Purpose, record.TextSealed), who));
        AuditLog.Record(db, _time, by.ToActor(origin), "complaint.forwarded", $"complaint:{Number(record.Id)}", new { to });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _outbox.NotifyQueued();
        return await GetAsync(number, by, cancellationToken);
    }

    /// <summary>Complaints filed and closed in a period, for the Pasal 25 report.</summary>
    internal static async Task<(int Received, int Closed)> CountAsync(SegelDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        (await db.Complaints.CountAsync(c => c.FiledAt >= from && c.FiledAt < to, cancellationToken),
         await db.Complaints.CountAsync(c => c.ClosedAt >= from && c.ClosedAt < to, cancellationToken));

    public static string Number(long id) => Prefix + id.ToString("D6", CultureInfo.InvariantCulture);

    private static long? Id(string? number)
    {
        string text = (number ?? "").Trim().ToUpperInvariant();
        text = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long id) && id > 0 ? id : null;
    }

    private static void RequireReader(Principal by)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.RaOfficer | Role.Admin | Role.PolicyAdmin | Role.Auditor, "read-complaints");
    }

    private static async Task<ComplaintRecord> FindAsync(SegelDbContext db, string number, CancellationToken cancellationToken, bool tracked = false)
    {
        long id = Id(number) ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchComplaint", number));
        IQueryable<ComplaintRecord> rows = tracked ? db.Complaints : db.Complaints.AsNoTracking();
        return await rows.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchComplaint", number));
    }

    private async Task<IReadOnlyList<ComplaintAnswerView>> AnswersAsync(SegelDbContext db, long id, CancellationToken cancellationToken) =>
        [.. (await db.ComplaintAnswers.AsNoTracking().Where(a => a.ComplaintId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken))
            .Select(a => new ComplaintAnswerView(a.By, _personalData.Open(Purpose, a.TextSealed), a.At))];

    private ComplaintView View(ComplaintRecord r, IReadOnlyList<ComplaintAnswerView> answers, bool contact)
    {
        Contact? who = contact ? ContactOf(r) : null;
        return new ComplaintView(Number(r.Id), r.Topic, r.Reference, _personalData.Open(Purpose, r.TextSealed), r.State, r.FiledAt, r.ClosedAt, r.ForwardedAt,
            contact ? r.FiledBy : null, who?.Name, who?.Email, answers);
    }

    private Contact? ContactOf(ComplaintRecord r) => r.ContactSealed is null ? null : JsonSerializer.Deserialize<Contact>(_personalData.Open(Purpose, r.ContactSealed));

    private static string? Optional(string? value, int max, string field)
    {
        string text = (value ?? "").Trim();
        if (text.Length > max)
        {
            throw SegelException.Invalid(field, Localized.Of("Error.ValueTooLong", field, max));
        }
        return text.Length == 0 ? null : text;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed record Contact(string? Name, string? Email);
}
