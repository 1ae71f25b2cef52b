using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;

namespace Segel.Core.Custody;

/// <summary>
/// Destroys the private keys Segel keeps for holders once they may no longer be used (Pasal 19(g), issue 20.6). A key that
/// can open documents encrypted to its certificate is destroyed <see cref="LifecycleOptions.DestroyExpiredKeysAfterDays"/>
/// after the certificate's expiry (default a year), revoked or not: a revocation stops it signing (Segel signs only with a
/// valid certificate), but the letters encrypted to it before still need it, and destroying it would lose them for good
/// (issue 23.5: "a revoked or expired encryption key keeps decrypting old documents"). Every key Segel keeps today is such
/// a key, since a holder's one certificate signs and encrypts; a key that can only sign is destroyed
/// <see cref="LifecycleOptions.DestroyRevokedKeysAfterDays"/> after a revocation (default at once). The sealed bytes are
/// replaced by nothing in a tracked update (the row's seal is renewed, and its seal is the concurrency token, so of two
/// nodes one destroys and records it); SQLite's <c>secure_delete</c>, on for every connection, zeroes the old cell, and a
/// truncating WAL checkpoint afterwards drops the page images that still held it. Each destruction is in the audit chain
/// and shown to the holder. PostgreSQL keeps dead row versions until VACUUM and does not zero them (docs/registration.md,
/// "Key destruction", says what that means and what to do).
/// </summary>
public sealed class KeyDestruction
{
    /// <summary>How long a key whose row fails its seal is left alone before the alarm is raised about it again.</summary>
    private static readonly TimeSpan RefusedFor = TimeSpan.FromDays(1);
    private readonly SegelDatabase _database;
    private readonly LifecycleOptions _options;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset> _refused = new();

    /// <summary>
    /// Profiles whose kept keys decrypt (key usage keyEncipherment or keyAgreement) — except a subscriber certificate issued with
    /// a separate encryption certificate (issue 23.5), which only signs: its key goes at revocation.
    /// </summary>
    private static readonly string[] Decrypting = [CertificateProfile.Subscriber.ToName(), CertificateProfile.RaOfficer.ToName(), CertificateProfile.Encryption.ToName()];

    private readonly KeyRecoveryRequests _recoveries;

    internal KeyDestruction(SegelDatabase database, LifecycleOptions options, KeyRecoveryRequests recoveries, TimeProvider time)
    {
        _recoveries = recoveries;
        _database = database;
        _options = options;
        _time = time;
    }

    /// <summary>Destroys every kept key that is due; returns how many. Run by the server's job; safe on several nodes at once.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        // Officers' opened shares in recovery requests left unfinished are key material too.
        await _recoveries.WipeStaleAsync(cancellationToken);
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset revokedBefore = now - TimeSpan.FromDays(Math.Max(0, _options.DestroyRevokedKeysAfterDays));
        DateTimeOffset expiredBefore = now - TimeSpan.FromDays(Math.Max(0, _options.DestroyExpiredKeysAfterDays));
        List<(long Key, string Serial, bool Revoked)> due;
        await using (SegelDbContext db = _database.CreateContext())
        {
            due = (await (from k in db.HolderKeys.AsNoTracking()
                          join c in db.Certificates.AsNoTracking() on k.CertificateId equals c.Id
                          where k.DestroyedAt == null &&
                              (c.NotAfter <= expiredBefore || (c.RevokedAt != null && c.RevokedAt <= revokedBefore &&
                                  (!Decrypting.Contains(c.Profile) || db.Certificates.Any(p => p.PairedCertificateId == c.Id)))) &&
                              // An RA officer's key that opens a share of a recovery key stays while that share exists: without it, what
                              // was escrowed to that recovery key may become unrecoverable (KeyRecoverySetup).
                              !db.RecoveryShares.Any(s => s.CertificateId == c.Id)
                          orderby k.Id
                          select new { k.Id, c.SerialHex, Revoked = c.NotAfter > expiredBefore }).Take(1000).ToListAsync(cancellationToken))
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
        destroyed += await DestroySealKeysAsync(revokedBefore, expiredBefore, now, cancellationToken);
        if (destroyed > 0)
        {
            await _database.ForgetFreedPagesAsync(cancellationToken);
        }
        return destroyed;
    }

    /// <summary>
    /// Institutional seals' keys (issue 23.2) only sign: each goes once its certificate is revoked (after the same grace as a
    /// person's signing key) or expired. The row's seal is its concurrency token, so of several nodes one destroys it.
    /// </summary>
    private async Task<int> DestroySealKeysAsync(DateTimeOffset revokedBefore, DateTimeOffset expiredBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<long> due;
        await using (SegelDbContext db = _database.CreateContext())
        {
            due = await (from s in db.InstitutionalSeals.AsNoTracking()
                         join c in db.Certificates.AsNoTracking() on s.CertificateId equals c.Id
                         where s.KeyDestroyedAt == null && (c.NotAfter <= expiredBefore || (c.RevokedAt != null && c.RevokedAt <= revokedBefore))
                         select s.Id).Take(100).ToListAsync(cancellationToken);
        }
        int destroyed = 0;
        foreach (long id in due)
        {
            await using SegelDbContext db = _database.CreateContext();
            InstitutionalSealRecord? seal = await db.InstitutionalSeals.SingleOrDefaultAsync(s => s.Id == id && s.KeyDestroyedAt == null, cancellationToken);
            if (seal is null || !await Audit.IntegrityAlarm.IsIntactOrRaiseAsync(db, seal, "destroy-a-kept-key", now, cancellationToken))
            {
                continue;
            }
            int length = seal.SealedPrivateKey.Length;
            seal.SealedPrivateKey = [];
            seal.KeyDestroyedAt = now;
            AuditLog.Record(db, _time, new Actor("system:key-destruction", null), "seal.key-destroyed", $"seal:{id}", new { sealedBytes = length });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                destroyed++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // another node was first
            }
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
        key.Escrow = null; // a key with an escrow left is not destroyed
        key.RecoveryKeyId = null;
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
