using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Notifications;

/// <summary>A notice waiting in a demonstration's outbox, opened for its portal page.</summary>
public sealed record WaitingMail(long Id, string To, string Subject, string Body, DateTimeOffset QueuedAt);

/// <summary>
/// Notices are written to the outbox in the transaction of the change they report, then delivered. Each node
/// claims a message with a conditional update before sending it, so two nodes never send the same one; a
/// claim that is not completed (the node died) expires and another node takes the message over. A body can carry a
/// one-time code or a confirmation link, so it is sealed at rest and erased once delivered: what stays is the fact
/// that a notice went to whom, when, under which subject (and no subject carries a secret).
/// </summary>
public sealed class MailOutbox
{
    public const int MaxAttempts = 10;

    /// <summary>Messages claimed and sent on one connection; small enough that a claim never outlives its five minutes.</summary>
    private const int RoundSize = 100;
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);
    private readonly SegelDatabase _database;
    private readonly SmtpMailSender _sender;
    private const string BodyPurpose = "segel/mail-body";
    private readonly TimeProvider _time;
    private readonly PersonalDataProtector _seal;
    private readonly bool _demonstration;

    internal MailOutbox(SegelDatabase database, SmtpMailSender sender, PersonalDataProtector seal, TimeProvider time, bool demonstration = false)
    {
        _demonstration = demonstration;
        _database = database;
        _sender = sender;
        _seal = seal;
        _time = time;
    }

    /// <summary>Raised after a transaction that queued mail commits, so delivery starts at once instead of at the next poll.</summary>
    public event EventHandler? Queued;

    internal void Enqueue(SegelDbContext db, MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        db.OutboxMail.Add(new OutboxMailRecord
        {
            To = message.To,
            Subject = message.Subject,
            SealedBody = SealBody(message.To, message.Body),
            EncryptedBody = message.EncryptedBody,
            CreatedAt = _time.GetUtcNow(),
        });
    }

    // Bound to the recipient: a body moved to another row does not open there.
    private byte[] SealBody(string to, string body) => _seal.Seal(BodyPurpose, System.Text.Encoding.UTF8.GetBytes(body), System.Text.Encoding.UTF8.GetBytes(to));

    private string BodyOf(OutboxMailRecord message) => message.SealedBody is { } body
        ? System.Text.Encoding.UTF8.GetString(_seal.Open(BodyPurpose, body, System.Text.Encoding.UTF8.GetBytes(message.To)))
        : message.Body ?? "";

    /// <summary>
    /// The newest undelivered notice to <paramref name="to"/>, opened: for the operator where no mail server is set up (the
    /// demonstration regency reads its confirmation codes here). Null when none waits.
    /// </summary>
    public async Task<MailMessage?> PendingForAsync(string to, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "read-undelivered-mail");
        await using SegelDbContext db = _database.CreateContext();
        OutboxMailRecord? message = await db.OutboxMail.AsNoTracking().Where(m => m.To == to && m.SentAt == null).OrderByDescending(m => m.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return message is null ? null : new MailMessage(message.To, message.Subject, BodyOf(message));
    }

    /// <summary>Whether this is a demonstration regency, whose portal shows the mail it could not send.</summary>
    public bool Demonstration => _demonstration;

    /// <summary>
    /// A demonstration's undelivered notices, newest first, opened (issue 19.9): the demonstration has no mail server, and a
    /// newcomer walking through it must read the confirmation codes and invitation links somewhere. Any signed-in person
    /// may read them — every person in a demonstration is invented; a real installation refuses.
    /// </summary>
    public async Task<IReadOnlyList<WaitingMail>> DemonstrationMailAsync(string? to, int limit, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (!_demonstration)
        {
            throw SegelException.NotFound(Localized.Of("Error.DemonstrationRegencyShowsMailPortal"));
        }
        by.Require(Role.Admin | Role.PolicyAdmin | Role.RaOfficer | Role.AgencyHead | Role.Subscriber | Role.Auditor, "read-the-demonstrations-mail");
        string? recipient = string.IsNullOrWhiteSpace(to) ? null : to.Trim().ToLowerInvariant();
        await using SegelDbContext db = _database.CreateContext();
        List<OutboxMailRecord> rows = await db.OutboxMail.AsNoTracking()
            .Where(m => m.SentAt == null && (recipient == null || m.To == recipient)) // addresses are kept in lower case
            .OrderByDescending(m => m.Id).Take(Math.Clamp(limit, 1, 200)).ToListAsync(cancellationToken);
        return rows.Select(m => new WaitingMail(m.Id, m.To, m.Subject, BodyOf(m), m.CreatedAt)).ToList();
    }

    /// <summary>
    /// Drops every message not yet delivered, recorded in the audit trail. For the operator of a demonstration regency,
    /// whose notices to invented people must not go out once a mail server is configured. Returns how many were dropped.
    /// </summary>
    public async Task<int> DiscardUndeliveredAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "discard-undelivered-mail");
        await using SegelDbContext db = _database.CreateContext();
        int dropped = await db.OutboxMail.Where(m => m.SentAt == null).ExecuteDeleteAsync(cancellationToken);
        Audit.AuditLog.Record(db, _time, by.ToActor(null), "mail.discarded", "outbox", new { messages = dropped });
        await db.SaveChangesAsync(cancellationToken);
        return dropped;
    }

    /// <summary>Seals the bodies of mail queued before sealing began, and erases those already delivered. Returns how many rows changed.</summary>
    internal async Task<int> SealLegacyAsync(CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        int erased = await db.OutboxMail.Where(m => m.SentAt != null && (m.Body != null || m.SealedBody != null))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Body, (string?)null).SetProperty(m => m.SealedBody, (byte[]?)null), cancellationToken);
        List<OutboxMailRecord> clear = await db.OutboxMail.AsNoTracking().Where(m => m.Body != null).ToListAsync(cancellationToken);
        foreach (OutboxMailRecord message in clear)
        {
            // Conditional, so two nodes starting at once never seal one body twice.
            byte[] sealedBody = SealBody(message.To, message.Body!);
            await db.OutboxMail.Where(m => m.Id == message.Id && m.Body != null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SealedBody, sealedBody).SetProperty(m => m.Body, (string?)null), cancellationToken);
        }
        return erased + clear.Count;
    }

    public void NotifyQueued() => Queued?.Invoke(this, EventArgs.Empty);

    /// <summary>Sends what is waiting. Returns how many messages went out.</summary>
    public async Task<int> DeliverAsync(CancellationToken cancellationToken = default)
    {
        if (!_sender.Configured)
        {
            return 0;
        }
        int sent = 0;
        while (true)
        {
            DateTimeOffset now = _time.GetUtcNow();
            await using SegelDbContext db = _database.CreateContext();
            List<long> candidates = await db.OutboxMail.AsNoTracking()
                .Where(m => m.SentAt == null && m.Attempts < MaxAttempts && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                .OrderBy(m => m.Id).Select(m => m.Id).Take(RoundSize).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                return sent;
            }
            (int round, bool failed) = await SendRoundAsync(db, candidates, now, cancellationToken);
            sent += round;
            if (failed)
            {
                return sent;
            }
        }
    }

    /// <summary>
    /// Claims <paramref name="candidates"/> in one conditional update under a token of this round (another node's round
    /// claims what it finds unclaimed, never the same message), reads back the ones won, sends them on one connection, and
    /// marks them sent in one update. Stops at the first message the server refuses, which waits for a later round; the
    /// rest of the round's claim lapses after <see cref="ClaimFor"/>, as a dead node's does.
    /// </summary>
    private async Task<(int Sent, bool Failed)> SendRoundAsync(SegelDbContext db, List<long> candidates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Guid token = Guid.NewGuid();
        DateTimeOffset until = now + ClaimFor;
        await db.OutboxMail
            .Where(m => candidates.Contains(m.Id) && m.SentAt == null && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, until).SetProperty(m => m.ClaimToken, token)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        List<OutboxMailRecord> won = await db.OutboxMail.AsNoTracking().Where(m => candidates.Contains(m.Id) && m.ClaimToken == token).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        if (won.Count == 0)
        {
            return (0, false); // another node has them
        }
        var sent = new List<long>(won.Count);
        try
        {
            await using SmtpSession session = await _sender.OpenAsync(cancellationToken);
            foreach (OutboxMailRecord message in won)
            {
                await session.SendAsync(new MailMessage(message.To, message.Subject, BodyOf(message)) { EncryptedBody = message.EncryptedBody }, cancellationToken);
                sent.Add(message.Id);
            }
            return (sent.Count, false);
        }
        catch (SegelException e)
        {
            // Left for a later round, with a back-off that grows with each attempt.
            OutboxMailRecord failed = won[sent.Count];
            DateTimeOffset retryAt = _time.GetUtcNow() + TimeSpan.FromMinutes(Math.Min(60, 1 << Math.Min(failed.Attempts, 6)));
            string error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
            await db.OutboxMail.Where(m => m.Id == failed.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, retryAt).SetProperty(m => m.LastError, error), cancellationToken);
            // The round's later messages were never tried: they wait with the failed one, and this round does not count against them.
            List<long> untried = won.Skip(sent.Count + 1).Select(m => m.Id).ToList();
            await db.OutboxMail.Where(m => untried.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, retryAt).SetProperty(m => m.Attempts, m => m.Attempts - 1), cancellationToken);
            return (sent.Count, true);
        }
        finally
        {
            if (sent.Count > 0)
            {
                // What went out is marked even when a later message failed; its body is erased (it may carry a code or a link).
                await db.OutboxMail.Where(m => sent.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, _time.GetUtcNow())
                    .SetProperty(m => m.SealedBody, (byte[]?)null).SetProperty(m => m.Body, (string?)null).SetProperty(m => m.EncryptedBody, (byte[]?)null),
                    CancellationToken.None);
            }
        }
    }
}
