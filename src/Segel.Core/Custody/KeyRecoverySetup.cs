using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Core.Custody;

/// <summary>One officer holding a share of the current recovery key.</summary>
public sealed record RecoveryOfficer(string Username, string Name, string CertificateSerial, int Point);

/// <summary>The current recovery key: how many officers it takes, who they are, and the key's certificate fingerprint.</summary>
public sealed record RecoveryOverview(int Threshold, DateTimeOffset CreatedAt, string CertificateSha256, IReadOnlyList<RecoveryOfficer> Officers);

/// <summary>
/// Sets up key recovery (issue 23.5): an administrator names RA officers and how many of them must act together; Segel makes a
/// recovery key and splits its secret among them (<see cref="KeyRecovery"/>), each share enveloped to the officer's current
/// certificate, whose key Segel keeps under the officer's own passphrase. Nobody — the administrator, the server, a reader
/// of the database — can open an escrow afterwards without that many officers. Setting up again (an officer leaves, another
/// joins) makes a new recovery key for the escrows to come; the old one is kept, retired, for the escrows made to it.
/// </summary>
public sealed class KeyRecoverySetup
{
    /// <summary>The recovery key outlives every certificate whose key is escrowed to it.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(20 * 365);

    private readonly SegelDatabase _database;
    private readonly CaSettings _settings;
    private readonly TimeProvider _time;

    internal KeyRecoverySetup(SegelDatabase database, CaSettings settings, TimeProvider time)
    {
        _database = database;
        _settings = settings;
        _time = time;
    }

    public async Task<RecoveryOverview> SetUpAsync(IReadOnlyList<string> officers, int threshold, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officers);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "set-up-key-recovery");
        var names = officers.Select(o => (o ?? "").Trim().ToLowerInvariant()).Where(o => o.Length > 0).ToList();
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw SegelException.Invalid("officers", Localized.Of("Error.RecoveryOfficerTwice", twice.Key));
        }
        if (threshold < 2 || names.Count < threshold || names.Count > 255)
        {
            throw SegelException.Invalid("threshold", Localized.Of("Error.RecoveryThreshold", threshold, names.Count));
        }
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        var holders = new List<(UserRecord User, CertificateRecord Certificate, X509Certificate2 Loaded)>();
        try
        {
            foreach (string name in names)
            {
                holders.Add(await OfficerAsync(db, name, now, cancellationToken));
            }
            RecoveryKeySet set = KeyRecovery.Create(new X500DistinguishedName($"CN=Segel Key Recovery, O={_settings.Organization}"),
                [.. holders.Select(h => h.Loaded)], threshold, now, Lifetime);
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (RecoveryKeyRecord current in await db.RecoveryKeys.Where(k => k.RetiredAt == null).ToListAsync(cancellationToken))
            {
                await IntegrityAlarm.RequireIntactAsync(db, current, "set-up-key-recovery", now, cancellationToken);
                current.RetiredAt = now;
            }
            var record = new RecoveryKeyRecord { CertificateDer = set.Certificate.RawData, EncryptedPrivateKey = set.EncryptedPrivateKey, Threshold = threshold, CreatedAt = now };
            db.RecoveryKeys.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || SegelDatabase.IsUniqueViolation(e))
            {
                // Another set-up retired the same key or made its own first: one current recovery key, so this one stops.
                throw SegelException.Conflict(Localized.Of("Error.RecoverySetUpMeanwhile"));
            }
            for (int i = 0; i < holders.Count; i++)
            {
                db.RecoveryShares.Add(new RecoveryShareRecord
                {
                    RecoveryKeyId = record.Id,
                    EmployeeId = holders[i].User.EmployeeId!.Value,
                    CertificateId = holders[i].Certificate.Id,
                    Point = set.Shares[i].X,
                    Envelope = set.Shares[i].Envelope,
                });
            }
            string fingerprint = Fingerprint(set.Certificate.RawData);
            AuditLog.Record(db, _time, by.ToActor(), "key-recovery.set-up", $"recovery-key:{record.Id}",
                new { threshold, officers = names, certificates = holders.Select(h => h.Certificate.SerialHex), certificateSha256 = fingerprint });
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return new RecoveryOverview(threshold, now, fingerprint,
                [.. holders.Select((h, i) => new RecoveryOfficer(h.User.Username, h.User.DisplayName, h.Certificate.SerialHex, set.Shares[i].X))]);
        }
        finally
        {
            foreach (var holder in holders)
            {
                holder.Loaded.Dispose();
            }
        }
    }

    /// <summary>The current recovery key, or null when recovery is not set up. Administrators and RA officers may look.</summary>
    public async Task<RecoveryOverview?> CurrentAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.RaOfficer, "see-key-recovery");
        await using SegelDbContext db = _database.CreateContext();
        RecoveryKeyRecord? key = await db.RecoveryKeys.AsNoTracking().Where(k => k.RetiredAt == null).OrderByDescending(k => k.Id).FirstOrDefaultAsync(cancellationToken);
        if (key is null)
        {
            return null;
        }
        await IntegrityAlarm.RequireIntactAsync(db, key, "see-key-recovery", _time.GetUtcNow(), cancellationToken);
        var officers = await (from s in db.RecoveryShares.AsNoTracking()
                              join u in db.Users.AsNoTracking() on s.EmployeeId equals u.EmployeeId
                              join c in db.Certificates.AsNoTracking() on s.CertificateId equals c.Id
                              where s.RecoveryKeyId == key.Id
                              orderby s.Point
                              select new RecoveryOfficer(u.Username, u.DisplayName, c.SerialHex, s.Point)).ToListAsync(cancellationToken);
        return new RecoveryOverview(key.Threshold, key.CreatedAt, Fingerprint(key.CertificateDer), officers);
    }

    /// <summary>An RA officer's current certificate whose key Segel keeps and which can receive an envelope.</summary>
    private static async Task<(UserRecord, CertificateRecord, X509Certificate2)> OfficerAsync(SegelDbContext db, string name, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        UserRecord user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == name, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchUser", name));
        if (((Role)user.Roles & Role.RaOfficer) == 0 || user.EmployeeId is not long employeeId || user.Disabled)
        {
            throw SegelException.Refused(Localized.Of("Error.NotRaOfficerLinkedEmployee", name));
        }
        string officerProfile = CertificateProfile.RaOfficer.ToName();
        List<CertificateRecord> candidates = await (from c in db.Certificates.AsNoTracking()
                                                    join k in db.HolderKeys.AsNoTracking() on c.Id equals k.CertificateId
                                                    where c.EmployeeId == employeeId && k.EmployeeId == employeeId && k.DestroyedAt == null &&
                                                        c.RevokedAt == null && c.NotBefore <= now && c.NotAfter > now && c.Profile == officerProfile
                                                    orderby c.NotAfter descending
                                                    select c).ToListAsync(cancellationToken);
        foreach (CertificateRecord candidate in candidates)
        {
            X509Certificate2 loaded = X509CertificateLoader.LoadCertificate(candidate.Der);
            if (Pki.Cms.DocumentEncryption.AllowsEncryptionTo(loaded))
            {
                return (user, candidate, loaded);
            }
            loaded.Dispose();
        }
        throw SegelException.Refused(Localized.Of("Error.RecoveryOfficerNoCertificate", name));
    }

    private static string Fingerprint(byte[] der) => Convert.ToHexStringLower(SHA256.HashData(der));
}
