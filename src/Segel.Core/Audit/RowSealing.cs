using Microsoft.EntityFrameworkCore;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Audit;

/// <summary>
/// Sealing comes to a database once: on the first start of a version that seals rows (a new database, or one from
/// before), every row without a seal is sealed and the chain records that it happened. From then on a row without a
/// seal is one added behind Segel's back, and it is never sealed here — which is why the chain, not a setting an
/// insider could delete, says whether this has run.
/// </summary>
internal static class RowSealing
{
    public const string SealedAction = "rows.sealed";

    public static async Task SealLegacyAsync(SegelDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = database.CreateContext();
        db.SealingUnsealedRows = true;
        if (await db.AuditRecords.AnyAsync(a => a.Action == SealedAction, cancellationToken))
        {
            return;
        }
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        int employees = await MarkAsync(db, db.Employees, cancellationToken);
        int users = await MarkAsync(db, db.Users, cancellationToken);
        int settings = await MarkAsync(db, db.Settings, cancellationToken);
        AuditLog.Record(db, time, Actor.System, SealedAction, "employees, users, settings", new { employees, users, settings });
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
