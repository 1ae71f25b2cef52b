using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Audit;

/// <summary>What the newest integrity alarm was about, as <c>/health</c> reports it.</summary>
internal sealed record IntegrityAlarmView(string Subject, string Refused, DateTimeOffset At);

/// <summary>
/// Issue 17 at run time: a sealed row that fails its seal is never acted on. The action is refused, and an alarm
/// is raised apart from the refused work (its own unit, so the refusal's rollback does not take it along): an
/// audit record, and a setting every node's <c>/health</c> reads, which turns <c>degraded</c> for a week.
/// </summary>
internal static class IntegrityAlarm
{
    public const string SettingKey = "integrity-alarm";
    public const string Action = "integrity.alarm";
    public static readonly TimeSpan Shown = TimeSpan.FromDays(7);

    /// <summary>Refuses <paramref name="action"/> on <paramref name="row"/> when it fails its seal, after raising the alarm.</summary>
    public static async Task RequireIntactAsync(SegelDbContext db, ISealedRow row, string action, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await IsIntactOrRaiseAsync(db, row, action, now, cancellationToken))
        {
            return;
        }
        throw SegelException.Refused($"The record of {row.SealKind} {row.SealKey} fails its integrity check, so Segel will not {action} with it until an administrator has looked (segel audit verify).");
    }

    /// <summary>True when the row is intact; otherwise raises the alarm and returns false (for doors that answer without saying why).</summary>
    public static async Task<bool> IsIntactOrRaiseAsync(SegelDbContext db, ISealedRow row, string action, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        if (db.AuditChain is not { } chain || chain.RowIntact(row))
        {
            return true;
        }
        SegelDatabase database = db.Owner ?? throw new InvalidOperationException("This context does not know its database.");
        await using SegelDbContext alarm = database.CreateContext();
        AuditLog.Record(alarm, now, Actor.System, Action, row.Subject(), new { refused = action });
        await alarm.SaveChangesAsync(cancellationToken);
        string value = JsonSerializer.Serialize(new IntegrityAlarmView(row.Subject(), action, now));
        SettingRecord? current = await alarm.Settings.SingleOrDefaultAsync(s => s.Key == SettingKey, cancellationToken);
        if (current is null)
        {
            alarm.Settings.Add(new SettingRecord { Key = SettingKey, Value = value, ChangedAt = now, ChangedBy = Actor.System.Name });
        }
        else
        {
            current.Value = value;
            current.ChangedAt = now;
        }
        try
        {
            await alarm.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request or node raised an alarm at the same moment (the row's key or its seal moved under us):
            // theirs stands for /health, and this one is in the audit record already.
        }
        return false;
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
