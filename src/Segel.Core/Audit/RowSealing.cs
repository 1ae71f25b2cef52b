using Microsoft.EntityFrameworkCore;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Audit;

/// <summary>
/// Sealing comes to each table once: on the first start of a version that seals it (a new database, or one from
/// before), every row without a seal is sealed and the chain records that it happened, naming the tables. From then
/// on a row without a seal is one added behind Segel's back, and it is never sealed here — which is why the chain,
/// not a setting an insider could delete, says whether this has run. Tables came to be sealed in two steps; a
/// database that missed both gets one record naming all of them.
/// </summary>
internal static class RowSealing
{
    public const string SealedAction = "rows.sealed";

    // The subjects are part of the record: never change one, add a step instead.
    private const string FirstTables = "employees, users, settings";
    private const string SecondTables = "applications, decisions, revocation requests, holder keys, signatures, agencies, work units";

    public static async Task SealLegacyAsync(SegelDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        (string Tables, Func<SegelDbContext, Task<Dictionary<string, int>>> Mark)[] steps =
        [
            (FirstTables, async db => new()
            {
                ["employees"] = await MarkAsync(db, db.Employees, cancellationToken),
                ["users"] = await MarkAsync(db, db.Users, cancellationToken),
                ["settings"] = await MarkAsync(db, db.Settings, cancellationToken),
            }),
            (SecondTables, async db => new()
            {
                ["applications"] = await MarkAsync(db, db.Enrollments, cancellationToken),
                ["decisions"] = await MarkAsync(db, db.Decisions, cancellationToken),
                ["revocationRequests"] = await MarkAsync(db, db.RevocationRequests, cancellationToken),
                ["holderKeys"] = await MarkAsync(db, db.HolderKeys, cancellationToken),
                ["signatures"] = await MarkAsync(db, db.Signatures, cancellationToken),
                ["agencies"] = await MarkAsync(db, db.Agencies, cancellationToken),
                ["workUnits"] = await MarkAsync(db, db.WorkUnits, cancellationToken),
            }),
        ];
        await using SegelDbContext db = database.CreateContext();
        db.SealingUnsealedRows = true;
        List<string> done = await db.AuditRecords.Where(a => a.Action == SealedAction).Select(a => a.Subject).ToListAsync(cancellationToken);
        var due = steps.Where(step => !done.Any(subject => subject.Contains(step.Tables, StringComparison.Ordinal))).ToList();
        if (due.Count == 0)
        {
            return;
        }
        // The steps due are done in one unit and one record (a new database gets a single record naming every table).
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in due)
        {
            foreach ((string table, int count) in await step.Mark(db))
            {
                counts[table] = count;
            }
        }
        AuditLog.Record(db, time, Actor.System, SealedAction, string.Join(", ", due.Select(step => step.Tables)), counts);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    // Marked modified: SegelDbContext seals every added or modified sealed row as it saves.
    private static async Task<int> MarkAsync<T>(SegelDbContext db, DbSet<T> rows, CancellationToken cancellationToken) where T : class, ISealedRow
    {
        List<T> unsealed = await rows.Where(r => r.Seal == null).ToListAsync(cancellationToken);
        foreach (T row in unsealed)
        {
            db.Entry(row).State = EntityState.Modified;
        }
        return unsealed.Count;
    }
}
