using System.Text.Json;
using Segel.Core.Ca;
using Segel.Core.Storage;

namespace Segel.Core.Audit;

/// <summary>Adds audit records to the caller's unit of work, so they commit (or not) with the change they describe.</summary>
public static class AuditLog
{
    public static void Record(SegelDbContext db, TimeProvider time, Actor actor, string action, string subject, object? details = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(actor);
        db.AuditRecords.Add(new AuditRecord
        {
            At = time.GetUtcNow(),
            Actor = actor.Name,
            Action = action,
            Subject = subject,
            Details = details is null ? null : JsonSerializer.Serialize(details),
        });
    }
}
