using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>A restored CA waiting to learn what happened after its backup; kept in the settings table, so every node sees it.</summary>
/// <param name="NumbersAtBackup">Each issuer's newest CRL number in the backup: a CRL applied later must be at least as new.</param>
public sealed record RestoreMarker(DateTimeOffset BackupTakenAt, DateTimeOffset RestoredAt, Dictionary<string, long> NumbersAtBackup, Dictionary<string, AppliedCrl> Applied);

/// <summary>The newest CRL of one issuer applied to a restored CA.</summary>
public sealed record AppliedCrl(long Number, DateTimeOffset ThisUpdate);

/// <summary>What one CRL changed: revocations re-applied, serials it lists that this database never saw (issued after the backup).</summary>
public sealed record CrlApplication(string Issuer, long Number, DateTimeOffset ThisUpdate, int Listed, int Revoked, int Unknown);

/// <summary>
/// A CA restored from a backup has forgotten what happened after it: revocations (its OCSP would answer "good" for a
/// certificate a published CRL lists as revoked — Pasal 17(3) says a revocation is final) and CRL numbers (it would
/// publish numbers relying parties already saw, with other content). So a restored CA is marked, refuses to serve, and
/// learns: the CRLs it published since — fetched from the running CA or given as files, checked against its own issuers'
/// keys — are applied (every revocation they list re-done, their numbers kept), and only then, or when the operator
/// explicitly accepts not knowing (CRL numbers then jump far ahead), does it serve again.
/// </summary>
public sealed class Restoration
{
    public const string SettingKey = "restore.pending";

    /// <summary>How far CRL numbers jump when the operator accepts not knowing the CRLs published after the backup.</summary>
    public const long UnknownNumberGap = 100_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly CrlPublisher _crls;
    private readonly CaEvents _events;
    private readonly TimeProvider _time;

    internal Restoration(SegelDatabase database, AuthorityRing ring, CrlPublisher crls, CaEvents events, TimeProvider time)
    {
        _database = database;
        _ring = ring;
        _crls = crls;
        _events = events;
        _time = time;
    }

    public async Task<RestoreMarker?> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        string? value = await db.Settings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        return value is null ? null : JsonSerializer.Deserialize<RestoreMarker>(value, Json);
    }

    /// <summary>Marks this database as restored from a backup taken at <paramref name="backupTakenAt"/>: it will not serve until caught up.</summary>
    public async Task MarkRestoredAsync(DateTimeOffset backupTakenAt, Principal by, CancellationToken cancellationToken = default)
    {
        Actor actor = Operator(by);
        DateTimeOffset now = _time.GetUtcNow();
        Dictionary<string, long> numbers = [];
        foreach (LoadedAuthority issuer in await _ring.GetIssuersAsync(cancellationToken))
        {
            numbers[issuer.Slug] = (await _crls.GetLatestAsync(issuer.Id, cancellationToken))?.Number ?? 0;
        }
        await using SegelDbContext db = _database.CreateContext();
        await db.Settings.Where(s => s.Key == SettingKey).ExecuteDeleteAsync(cancellationToken);
        db.Settings.Add(new SettingRecord
        {
            Key = SettingKey,
            Value = JsonSerializer.Serialize(new RestoreMarker(backupTakenAt, now, numbers, []), Json),
            ChangedAt = now,
            ChangedBy = actor.Name,
        });
        AuditLog.Record(db, _time, actor, "ca.restored", "ca", new { backupTakenAt });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Applies a CRL this CA published (DER or PEM): signed by one of its issuers, every certificate it lists revoked here too
    /// (with the CRL's revocation time and reason), and its number kept so the next CRL comes after it.
    /// </summary>
    public async Task<CrlApplication> ApplyCrlAsync(byte[] encoded, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        Actor actor = Operator(by);
        RestoreMarker marker = await PendingAsync(cancellationToken)
            ?? throw SegelException.Conflict(Localized.Of("Error.CaNotWaitingAfterRestoreCRLs"));
        X509Crl crl = Parse(encoded);
        LoadedAuthority issuer = await IssuerOfAsync(crl, cancellationToken);
        long number = (crl.GetExtensionValue(X509Extensions.CrlNumber) is { } raw
            ? DerInteger.GetInstance(Asn1Object.FromByteArray(raw.GetOctets())).Value.LongValueExact : (long?)null)
            ?? throw SegelException.Invalid("crl", Localized.Of("Error.CrlNoCrlNumber"));
        DateTimeOffset thisUpdate = new(DateTime.SpecifyKind(crl.ThisUpdate, DateTimeKind.Utc));
        // BouncyCastle checked the signature; the entries are read as every published CRL is (one reader).
        IReadOnlyDictionary<string, PublishedRevocation> entries = PublishedRevocations.Parse(crl.GetEncoded());
        int revoked = 0, unknown = 0;
        await using SegelDbContext db = _database.CreateContext();
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach ((string serial, PublishedRevocation listed) in entries)
            {
                DateTimeOffset at = listed.RevokedAt;
                int reason = (int)listed.Reason;
                int changed = await db.Certificates.Where(c => c.IssuerId == issuer.Id && c.SerialHex == serial && c.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, at).SetProperty(c => c.RevocationReason, reason), cancellationToken);
                if (changed == 1)
                {
                    revoked++;
                    AuditLog.Record(db, _time, actor, "certificate.revoked-from-crl", serial,
                        new { issuer = issuer.Slug, crlNumber = number, revokedAt = at, reason = ((RevocationReason)reason).ToRfcName() });
                    byte[] der = await db.Certificates.Where(c => c.IssuerId == issuer.Id && c.SerialHex == serial).Select(c => c.Der).SingleAsync(cancellationToken);
                    TransparencyLeaves.RecordRevoked(db, serial, der, reason, at);
                }
                else if (!await db.Certificates.AnyAsync(c => c.IssuerId == issuer.Id && c.SerialHex == serial, cancellationToken))
                {
                    unknown++;
                }
            }
            if (!await db.Crls.AnyAsync(c => c.IssuerId == issuer.Id && c.Number == number, cancellationToken))
            {
                db.Crls.Add(new CrlRecord
                {
                    IssuerId = issuer.Id,
                    Number = number,
                    ThisUpdate = thisUpdate,
                    NextUpdate = crl.NextUpdate is { } next ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : thisUpdate,
                    EntryCount = entries.Count,
                    Der = crl.GetEncoded(),
                });
            }
            if (!marker.Applied.TryGetValue(issuer.Slug, out AppliedCrl? before) || before.Number < number)
            {
                marker.Applied[issuer.Slug] = new AppliedCrl(number, thisUpdate);
            }
            // Loaded and changed, not updated in SQL, so the row's seal follows its new value.
            SettingRecord row = await db.Settings.SingleAsync(s => s.Key == SettingKey, cancellationToken);
            row.Value = JsonSerializer.Serialize(marker, Json);
            AuditLog.Record(db, _time, actor, "crl.applied-after-restore", issuer.Slug, new { number, thisUpdate, listed = entries.Count, revoked, unknown });
            await db.SaveChangesAsync(cancellationToken);
            await _database.SignalStatusChangeAsync(db, issuer.Slug, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        _events.RaiseStatusChanged(issuer.Slug);
        return new CrlApplication(issuer.Slug, number, thisUpdate, entries.Count, revoked, unknown);
    }

    /// <summary>
    /// Ends the wait and lets the CA serve: refused while an issuer has no CRL applied that was published after the backup,
    /// unless <paramref name="acceptUnknown"/> — the operator's explicit word that what happened since cannot be known, upon
    /// which that issuer's CRL numbers jump <see cref="UnknownNumberGap"/> ahead. Publishes a fresh CRL per issuer. Recorded.
    /// </summary>
    public async Task<IReadOnlyList<CrlView>> CompleteAsync(bool acceptUnknown, Principal by, CancellationToken cancellationToken = default)
    {
        Actor actor = Operator(by);
        RestoreMarker marker = await PendingAsync(cancellationToken) ?? throw SegelException.Conflict(Localized.Of("Error.CaNotWaitingAfterRestore"));
        IReadOnlyList<LoadedAuthority> issuers = await _ring.GetIssuersAsync(cancellationToken);
        // A CRL numbered at least as high as the newest in the backup is what the CA published since (the same number: nothing
        // was published since, as the running CA's own CRL tells); an older one proves nothing about the time after the backup.
        List<LoadedAuthority> unknown = issuers.Where(i => !marker.Applied.TryGetValue(i.Slug, out AppliedCrl? crl)
            || crl.Number < marker.NumbersAtBackup.GetValueOrDefault(i.Slug)).ToList();
        if (unknown.Count > 0 && !acceptUnknown)
        {
            throw SegelException.Refused(Localized.Of("Error.NoCrlNewBackupUtc", marker.BackupTakenAt, string.Join(", ", unknown.Select(i => i.Slug))));
        }
        var published = new List<CrlView>();
        foreach (LoadedAuthority issuer in issuers)
        {
            CrlView? latest = await _crls.GetLatestAsync(issuer.Id, cancellationToken);
            long next = (latest?.Number ?? 0) + (unknown.Contains(issuer) ? UnknownNumberGap : 1);
            published.Add(await _crls.PublishAsync(issuer, cancellationToken: cancellationToken, minimumNumber: next));
        }
        await using SegelDbContext db = _database.CreateContext();
        await db.Settings.Where(s => s.Key == SettingKey).ExecuteDeleteAsync(cancellationToken);
        AuditLog.Record(db, _time, actor, "ca.restore-completed", "ca", new
        {
            marker.BackupTakenAt,
            acceptedUnknown = unknown.Select(i => i.Slug).ToArray(),
            crls = published.Select(c => new { issuer = issuers.Single(i => i.Id == c.IssuerId).Slug, number = c.Number }),
        });
        await db.SaveChangesAsync(cancellationToken);
        foreach (LoadedAuthority issuer in issuers)
        {
            _events.RaiseStatusChanged(issuer.Slug);
        }
        return published;
    }

    /// <summary>Refuses to go on while a restore waits (serving, publishing): the message says what to run.</summary>
    /// <summary>Every step of a restore is the administrators' (the console's); returns whom the audit record names.</summary>
    private static Actor Operator(Principal by)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "restore-the-ca-from-a-backup");
        return by.ToActor();
    }

    public async Task ThrowIfPendingAsync(CancellationToken cancellationToken = default)
    {
        if (await PendingAsync(cancellationToken) is { } marker)
        {
            throw new SegelException(ErrorKind.NotReady,
                Localized.Of("Error.CaRestoredBackupUtcNot", marker.BackupTakenAt));
        }
    }

    private static X509Crl Parse(byte[] encoded)
    {
        try
        {
            byte[] der = Pki.Crl.CrlEncoding.Der(encoded) ?? throw SegelException.Invalid("crl", Localized.Of("Error.FileNotCrl"));
            return new X509CrlParser().ReadCrl(der) ?? throw SegelException.Invalid("crl", Localized.Of("Error.FileNotCrl"));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or Org.BouncyCastle.Security.Certificates.CrlException)
        {
            throw SegelException.Invalid("crl", Localized.Of("Error.FileNotCrl"));
        }
    }

    private async Task<LoadedAuthority> IssuerOfAsync(X509Crl crl, CancellationToken cancellationToken)
    {
        foreach (LoadedAuthority candidate in await _ring.GetIssuersAsync(cancellationToken))
        {
            var certificate = new Org.BouncyCastle.X509.X509Certificate(candidate.Certificate.RawData);
            if (!certificate.SubjectDN.Equivalent(crl.IssuerDN))
            {
                continue;
            }
            try
            {
                crl.Verify(certificate.GetPublicKey());
                return candidate;
            }
            catch (Exception e) when (e is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException or Org.BouncyCastle.Security.Certificates.CrlException)
            {
                // Same name, other key (an earlier generation): try the next.
            }
        }
        throw SegelException.Refused(Localized.Of("Error.CrlNotSignedIssuerCa"));
    }
}
