using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Custody;

/// <summary>
/// Destroys the private keys Segel keeps for holders once they may no longer be used (Pasal 19(g), issue 20.6): a revoked
/// certificate's key after <see cref="LifecycleOptions.DestroyRevokedKeysAfterDays"/> (default at once), an expired one's
/// after <see cref="LifecycleOptions.DestroyExpiredKeysAfterDays"/> (default a year, so documents encrypted to it can still
/// be opened). The sealed bytes are replaced by nothing in a tracked update (the row's seal is renewed, and its seal is the
/// concurrency token, so of two nodes one destroys and records it); SQLite's <c>secure_delete</c>, on for every connection,
/// zeroes the old cell, and a truncating WAL checkpoint afterwards drops the page images that still held it. Each
/// destruction is in the audit chain and shown to the holder. PostgreSQL keeps dead row versions until VACUUM and does not
/// zero them (docs/registration.md, "Key destruction", says what that means and what to do).
/// </summary>
public sealed class KeyDestruction
{
    /// <summary>How long a key whose row fails its seal is left alone before the alarm is raised about it again.</summary>
    private static readonly TimeSpan RefusedFor = TimeSpan.FromDays(1);
    private readonly SegelDatabase _database;
    private readonly LifecycleOptions _options;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset> _refused = new();

    internal KeyDestruction(SegelDatabase database, LifecycleOptions options, TimeProvider time)
    {
        _database = database;
        _options = options;
        _time = time;
    }

    /// <summary>Destroys every kept key that is due; returns how many. Run by the server's job; safe on several nodes at once.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset revokedBefore = now - TimeSpan.FromDays(Math.Max(0, _options.DestroyRevokedKeysAfterDays));
        DateTimeOffset expiredBefore = now - TimeSpan.FromDays(Math.Max(0, _options.DestroyExpiredKeysAfterDays));
        List<(long Key, string Serial, bool Revoked)> due;
        await using (SegelDbContext db = _database.CreateContext())
        {
            due = (await (from k in db.HolderKeys.AsNoTracking()
                          join c in db.Certificates.AsNoTracking() on k.CertificateId equals c.Id
                          where k.DestroyedAt == null && ((c.RevokedAt != null && c.RevokedAt <= revokedBefore) || c.NotAfter <= expiredBefore)
                          orderby k.Id
                          select new { k.Id, c.SerialHex, Revoked = c.RevokedAt != null }).Take(1000).ToListAsync(cancellationToken))
                .Select(x => (x.Id, x.SerialHex, x.Revoked)).ToList();
        }
        int destroyed = 0;
        foreach ((long id, string serial, bool revoked) in due)
        {
            if (_refused.TryGetValue(id, out DateTimeOffset since) && now - since < RefusedFor)
            {
                continue;
            }
            if (await DestroyAsync(id, serial, revoked ? "revoked" : "expired", now, cancellationToken))
            {
                destroyed++;
            }
        }
        if (destroyed > 0)
        {
            await _database.ForgetFreedPagesAsync(cancellationToken);
        }
        return destroyed;
    }

    private async Task<bool> DestroyAsync(long id, string serial, string because, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        HolderKeyRecord? key = await db.HolderKeys.SingleOrDefaultAsync(k => k.Id == id && k.DestroyedAt == null, cancellationToken);
        if (key is null)
        {
            return false; // another node was first
        }
        if (!await Audit.IntegrityAlarm.IsIntactOrRaiseAsync(db, key, "destroy-a-kept-key", now, cancellationToken))
        {
            // Changed outside Segel: left for an administrator (the alarm says which), and not raised again every round.
            _refused[id] = now;
            return false;
        }
        int length = key.SealedPrivateKey.Length;
        key.SealedPrivateKey = [];
        key.CodeSealedPrivateKey = null;
        key.DestroyedAt = now;
        AuditLog.Record(db, _time, new Actor("system:key-destruction", null), "holder-key.destroyed", $"certificate:{serial}",
            new { because, sealedBytes = length });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false; // the seal changed under us: another node destroyed it
        }
        catch (Errors.SegelException)
        {
            // The row changed outside Segel between the check and the save: the next round raises the alarm.
            return false;
        }
    }
}
