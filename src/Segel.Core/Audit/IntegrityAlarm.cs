using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Audit;

/// <summary>What the newest integrity alarm was about, as <c>/health</c> reports it.</summary>
internal sealed record IntegrityAlarmView(string Subject, string Refused, DateTimeOffset At);

/// <summary>
/// Issue 17 at run time: a sealed row that fails its seal is never acted on. The action is refused, and an alarm
/// is raised apart from the refused work (its own unit, so the refusal's rollback does not take it along): an
/// audit record, a setting every node's <c>/health</c> and the portal's banner read (<c>degraded</c> for a week), and
/// an e-mail to the administrators (<see cref="ISealBreachNotice"/>).
/// </summary>
internal static class IntegrityAlarm
{
    public const string SettingKey = "integrity-alarm";
    public const string Action = "integrity.alarm";
    public static readonly TimeSpan Shown = TimeSpan.FromDays(7);
    private static readonly TimeSpan Remind = TimeSpan.FromDays(1);

    /// <summary>Refuses <paramref name="action"/> on <paramref name="row"/> when it fails its seal, after raising the alarm.</summary>
    public static async Task RequireIntactAsync(SegelDbContext db, ISealedRow row, string action, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await IsIntactOrRaiseAsync(db, row, action, now, cancellationToken))
        {
            return;
        }
        throw Refusal(row.SealKind, row.SealKey, action);
    }

    /// <summary>The refusal of an action on a record found changed behind Segel's back.</summary>
    public static SegelException Refusal(string kind, string key, string action) =>
        SegelException.Refused(Localized.Of("Error.RecordFailsIntegrityCheckSegel", kind, key, action));

    /// <summary>True when the row is intact; otherwise raises the alarm and returns false (for doors that answer without saying why).</summary>
    public static async Task<bool> IsIntactOrRaiseAsync(SegelDbContext db, ISealedRow row, string action, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        if (db.AuditChain is not { } chain || chain.RowIntact(row))
        {
            return true;
        }
        await RaiseAsync(db, row.SealKind, row.SealKey, action, now, cancellationToken);
        return false;
    }

    /// <summary>
    /// Raises the alarm about a record Segel found changed behind its back (a row failing its seal, a certificate the
    /// transparency log shows revoked while its row says otherwise), apart from the refused work.
    /// </summary>
    public static async Task RaiseAsync(SegelDbContext db, string kind, string key, string action, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is not null)
        {
            // The alarm commits apart from the refused work; inside its transaction it would wait on it (SQLite) or be lost.
            throw new InvalidOperationException("Raise an integrity alarm before the transaction that acts on the record.");
        }
        string subject = $"{kind} {key}";
        SegelDatabase database = db.Owner ?? throw new InvalidOperationException("This context does not know its database.");
        await using SegelDbContext alarm = database.CreateContext();
        AuditLog.Record(alarm, now, Actor.System, Action, subject, new { refused = action });
        await alarm.SaveChangesAsync(cancellationToken);
        // The setting is written by a conditional update (its seal is the condition, its key unique), and the e-mail goes
        // in the same save: of two requests or nodes raising the same alarm at once, only the one whose update wins
        // mails, so administrators hear once a day per row however often it is refused meanwhile.
        SettingRecord? current = await alarm.Settings.SingleOrDefaultAsync(s => s.Key == SettingKey, cancellationToken);
        IntegrityAlarmView? previous = current is null ? null : JsonSerializer.Deserialize<IntegrityAlarmView>(current.Value);
        bool mail = database.BreachNotice is not null && (previous is null || previous.Subject != subject || now - previous.At >= Remind);
        string value = JsonSerializer.Serialize(new IntegrityAlarmView(subject, action, now));
        if (current is null)
        {
            alarm.Settings.Add(new SettingRecord { Key = SettingKey, Value = value, ChangedAt = now, ChangedBy = Actor.System.Name });
        }
        else
        {
            current.Value = value;
            current.ChangedAt = now;
        }
        if (mail)
        {
            await database.BreachNotice!.QueueAsync(alarm, kind, key, action, cancellationToken);
        }
        try
        {
            await alarm.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request or node raised an alarm at the same moment: theirs stands for /health (and mailed if
            // mail was due), and this one is in the audit record already.
            return;
        }
        if (mail)
        {
            database.BreachNotice!.Queued();
        }
    }

    /// <summary>The newest alarm if it is recent enough to show.</summary>
    public static async Task<IntegrityAlarmView?> RecentAsync(SegelDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        string? value = await db.Settings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        IntegrityAlarmView? alarm = value is null ? null : JsonSerializer.Deserialize<IntegrityAlarmView>(value);
        return alarm is not null && now - alarm.At < Shown ? alarm : null;
    }
}
