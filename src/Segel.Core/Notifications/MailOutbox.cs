using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Storage;

namespace Segel.Core.Notifications;

/// <summary>
/// Notices are written to the outbox in the transaction of the change they report, then delivered. Each node
/// claims a message with a conditional update before sending it, so two nodes never send the same one; a
/// claim that is not completed (the node died) expires and another node takes the message over.
/// </summary>
public sealed class MailOutbox
{
    public const int MaxAttempts = 10;
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);
    private readonly SegelDatabase _database;
    private readonly SmtpMailSender _sender;
    private readonly TimeProvider _time;

    public MailOutbox(SegelDatabase database, SmtpMailSender sender, TimeProvider time)
    {
        _database = database;
        _sender = sender;
        _time = time;
    }

    /// <summary>Raised after a transaction that queued mail commits, so delivery starts at once instead of at the next poll.</summary>
    public event EventHandler? Queued;

    public void Enqueue(SegelDbContext db, MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        db.OutboxMail.Add(new OutboxMailRecord { To = message.To, Subject = message.Subject, Body = message.Body, CreatedAt = _time.GetUtcNow() });
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
                .OrderBy(m => m.Id).Select(m => m.Id).Take(20).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
            {
                return sent;
            }
            foreach (long id in candidates)
            {
                DateTimeOffset until = now + ClaimFor;
                int claimed = await db.OutboxMail
                    .Where(m => m.Id == id && m.SentAt == null && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, until).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
                if (claimed == 0)
                {
                    continue; // another node has it
                }
                OutboxMailRecord message = await db.OutboxMail.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
                try
                {
                    await _sender.SendAsync(new MailMessage(message.To, message.Subject, message.Body), cancellationToken);
                    await db.OutboxMail.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, _time.GetUtcNow()), cancellationToken);
                    sent++;
                }
                catch (SegelException e)
                {
                    // Left for a later round, with a back-off that grows with each attempt.
                    DateTimeOffset retryAt = _time.GetUtcNow() + TimeSpan.FromMinutes(Math.Min(60, 1 << Math.Min(message.Attempts, 6)));
                    string error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                    await db.OutboxMail.Where(m => m.Id == id)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, retryAt).SetProperty(m => m.LastError, error), cancellationToken);
                    return sent;
                }
            }
        }
    }
}
