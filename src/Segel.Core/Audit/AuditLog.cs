using System.Text.Json;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Audit;

/// <summary>
/// Adds audit records to the caller's unit of work, so they commit (or not) with the change they describe;
/// <see cref="SegelDbContext.SaveChangesAsync(bool, CancellationToken)"/> links them into the chain.
/// </summary>
internal static class AuditLog
{
    public static void Record(SegelDbContext db, TimeProvider time, Actor actor, string action, string subject, object? details = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Record(db, time.GetUtcNow(), actor, action, subject, details);
    }

    public static void Record(SegelDbContext db, DateTimeOffset at, Actor actor, string action, string subject, object? details = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        db.AuditRecords.Add(new AuditRecord
        {
            At = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()),
            Actor = actor.Name,
            Origin = actor.Origin,
            Action = action,
            Subject = subject,
            Details = details is null ? null : JsonSerializer.Serialize(details),
            RequestId = RequestCorrelation.Current,
        });
    }
}
