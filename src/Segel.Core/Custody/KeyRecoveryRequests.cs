using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Core.Custody;

/// <summary>A key-recovery request as holders and officers see it.</summary>
/// <param name="Keys">Serials of the encryption certificates whose keys it recovers.</param>
/// <param name="ApprovedBy">The officers who opened their shares for it, in order.</param>
/// <param name="Needed">How many officers it takes (the most any recovery key involved needs).</param>
public sealed record KeyRecoveryRequestView(long Id, string Holder, string Nip, string State, string Statement, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    IReadOnlyList<string> Keys, IReadOnlyList<string> ApprovedBy, int Needed);

/// <summary>
/// Recovery of holders' escrowed encryption keys (issue 23.5), as EJBCA's key recovery under an approval profile, but with no
/// key the server can use alone:
/// <list type="number">
/// <item>a holder who lost the passphrase (or locked the key) asks, signed in, saying why;</item>
/// <item>RA officers other than the holder approve, each opening their share of the recovery key with their own kept key and
/// passphrase; the opened share is kept, sealed under the master key, in the request;</item>
/// <item>when every recovery key involved has its threshold of shares (two at least), the holder finishes it with a new
/// passphrase: the recovery key is opened, the escrows with it, and the keys are sealed again under the new passphrase, from
/// which the holder can also export them as PKCS#12. The opened shares are wiped.</item>
/// </list>
/// Signing keys are never escrowed, so a lost passphrase still means a new signing certificate (re-issuance). A request not
/// finished within <see cref="Lifetime"/> ends and its opened shares are wiped (<see cref="WipeStaleAsync"/>). Every step is audited.
/// </summary>
public sealed class KeyRecoveryRequests
{
    public const int MinStatementLength = 5;
    public const int MaxStatementLength = 2000;

    /// <summary>How long opened shares may wait for the holder.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private const string SharePurpose = "key-recovery-share";
    private readonly SegelDatabase _database;
    private readonly HolderKeyVault _vault;
    private readonly PersonalDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly KeyRecoveryNotices _notices;

    internal KeyRecoveryRequests(SegelDatabase database, HolderKeyVault vault, PersonalDataProtector protector, KeyRecoveryNotices notices, TimeProvider time)
    {
        _notices = notices;
        _database = database;
        _vault = vault;
        _protector = protector;
        _time = time;
    }

    /// <summary>The holder asks to recover their escrowed encryption keys; one open request at a time.</summary>
    public async Task<KeyRecoveryRequestView> RequestAsync(Principal by, string? statement, string? origin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        long employeeId = by.RequireEmployee();
        string why = (statement ?? "").Trim();
        if (why.Length is < MinStatementLength or > MaxStatementLength)
        {
            throw SegelException.Invalid("statement", Localized.Of("Error.RecoveryStatementLength", MinStatementLength, MaxStatementLength));
        }
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        if ((await EscrowedAsync(db, employeeId, cancellationToken)).Count == 0)
        {
            throw SegelException.Refused(Localized.Of("Error.NothingToRecover"));
        }
        await ExpireAsync(db, now, employeeId, cancellationToken);
        var request = new KeyRecoveryRequestRecord { EmployeeId = employeeId, RequestedBy = by.Name, Statement = why, State = KeyRecoveryState.Pending, CreatedAt = now };
        db.KeyRecoveryRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            // One open request per holder (a partial unique index): a second, even from another node at the same moment, stops here.
            throw SegelException.Conflict(Localized.Of("Error.RecoveryRequestOpen"));
        }
        AuditLog.Record(db, _time, by.ToActor(origin), "key-recovery.requested", $"key-recovery:{request.Id}", new { employee = employeeId });
        EmployeeRecord holder = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == employeeId, cancellationToken);
        await _notices.QueueRequestedAsync(db, request, holder, await RecoveryKeysOfAsync(db, employeeId, cancellationToken), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        _notices.Sent();
        return await ViewAsync(db, request, cancellationToken);
    }

    /// <summary>Open requests (pending or approved) for RA officers and administrators; a holder sees their own, ended ones too.</summary>
    public async Task<IReadOnlyList<KeyRecoveryRequestView>> ListAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        await ExpireAsync(db, now, null, cancellationToken);
        IQueryable<KeyRecoveryRequestRecord> query = db.KeyRecoveryRequests.AsNoTracking();
        if (by.Has(Role.RaOfficer | Role.Admin))
        {
            query = query.Where(r => r.State == KeyRecoveryState.Pending || r.State == KeyRecoveryState.Approved || r.EmployeeId == by.EmployeeId);
        }
        else
        {
            ArgumentNullException.ThrowIfNull(by);
            long employeeId = by.RequireEmployee();
            query = query.Where(r => r.EmployeeId == employeeId);
        }
        var views = new List<KeyRecoveryRequestView>();
        foreach (KeyRecoveryRequestRecord request in await query.OrderByDescending(r => r.Id).Take(200).ToListAsync(cancellationToken))
        {
            views.Add(await ViewAsync(db, request, cancellationToken));
        }
        return views;
    }

    /// <summary>The holder's own newest request, open or ended, or null (for the holder's page, whatever other roles they have).</summary>
    public async Task<KeyRecoveryRequestView?> NewestOwnAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        long employeeId = by.RequireEmployee();
        await using SegelDbContext db = _database.CreateContext();
        await ExpireAsync(db, _time.GetUtcNow(), employeeId, cancellationToken);
        KeyRecoveryRequestRecord? newest = await db.KeyRecoveryRequests.AsNoTracking().Where(r => r.EmployeeId == employeeId).OrderByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return newest is null ? null : await ViewAsync(db, newest, cancellationToken);
    }

    /// <summary>
    /// An RA officer approves: opens every share they hold of the recovery keys involved with their own kept key and passphrase
    /// (a wrong one counts toward their lockout), and leaves them sealed in the request. Not for their own keys.
    /// </summary>
    public async Task<KeyRecoveryRequestView> ApproveAsync(long id, string? passphrase, Principal officer, string? origin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officer);
        officer.Require(Role.RaOfficer, "approve-key-recovery");
        long officerEmployee = officer.RequireEmployee();
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        await ExpireAsync(db, now, null, cancellationToken);
        KeyRecoveryRequestRecord request = await FindAsync(db, id, cancellationToken);
        if (request.EmployeeId == officerEmployee)
        {
            throw SegelException.Forbidden(Localized.Of("Error.RecoveryOwnRequest"));
        }
        if (request.State != KeyRecoveryState.Pending)
        {
            throw SegelException.Conflict(Localized.Of("Error.RecoveryRequestNotPending", id, StateName(request.State)));
        }
        List<long> recoveryKeys = await RecoveryKeysOfAsync(db, request.EmployeeId, cancellationToken);
        List<RecoveryShareRecord> shares = await db.RecoveryShares.AsNoTracking()
            .Where(s => recoveryKeys.Contains(s.RecoveryKeyId) && s.EmployeeId == officerEmployee).ToListAsync(cancellationToken);
        if (shares.Count == 0)
        {
            throw SegelException.Refused(Localized.Of("Error.RecoveryNoShare"));
        }
        if (await db.KeyRecoveryApprovals.AnyAsync(a => a.RequestId == id && a.OfficerEmployeeId == officerEmployee, cancellationToken))
        {
            throw SegelException.Conflict(Localized.Of("Error.RecoveryAlreadyApproved", id));
        }
        Actor actor = officer.ToActor(origin);
        foreach (RecoveryShareRecord share in shares)
        {
            await IntegrityAlarm.RequireIntactAsync(db, share, "approve-key-recovery", now, cancellationToken);
            byte[] opened = await OpenShareAsync(db, share, passphrase, actor, cancellationToken);
            try
            {
                db.KeyRecoveryApprovals.Add(new KeyRecoveryApprovalRecord
                {
                    RequestId = id, ShareId = share.Id, OfficerEmployeeId = officerEmployee, OfficerName = officer.Name, ApprovedAt = now,
                    SealedShare = _protector.Seal(SharePurpose, opened, ShareContext(id, share.Id)),
                });
            }
            finally
            {
                CryptographicOperations.ZeroMemory(opened);
            }
        }
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            throw SegelException.Conflict(Localized.Of("Error.RecoveryAlreadyApproved", id)); // the same officer on two nodes at once
        }
        AuditLog.Record(db, _time, actor, "key-recovery.approved", $"key-recovery:{id}", new { employee = request.EmployeeId, shares = shares.Select(s => s.Point) });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        // Counted after the commit: of two last approvals at once, each transaction sees only its own share, but whichever
        // commits second sees both here. Pending → approved is one conditional update, so it moves once.
        if (await EnoughAsync(db, id, recoveryKeys, cancellationToken) &&
            await db.KeyRecoveryRequests.Where(r => r.Id == id && r.State == KeyRecoveryState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, KeyRecoveryState.Approved), cancellationToken) == 1)
        {
            // Only the approval that moved it tells the holder, so two last approvals on two nodes send one mail.
            KeyRecoveryRequestView approved = await ViewAsync(db, await FindAsync(db, id, cancellationToken), cancellationToken);
            string email = await db.Employees.AsNoTracking().Where(e => e.Id == request.EmployeeId).Select(e => e.Email).SingleAsync(cancellationToken);
            _notices.QueueApproved(db, approved, email);
            await db.SaveChangesAsync(cancellationToken);
            _notices.Sent();
            return approved;
        }
        return await ViewAsync(db, await FindAsync(db, id, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The holder finishes an approved request with a new passphrase: every escrowed key is recovered and sealed under it.
    /// Once only: the first of two parallel calls wins, and the opened shares are wiped in the same transaction.
    /// </summary>
    public async Task<int> CompleteAsync(long id, string? newPassphrase, Principal by, string? origin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        long employeeId = by.RequireEmployee();
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        await ExpireAsync(db, now, employeeId, cancellationToken);
        KeyRecoveryRequestRecord request = await FindAsync(db, id, cancellationToken);
        if (request.EmployeeId != employeeId)
        {
            throw SegelException.NotFound(Localized.Of("Error.NoSuchRecoveryRequest", id)); // another's request is not told of
        }
        if (request.State == KeyRecoveryState.Pending && await EnoughAsync(db, id, await RecoveryKeysOfAsync(db, employeeId, cancellationToken), cancellationToken))
        {
            // The last approval's own count was cut short (a node stopped after its commit): what is in the database decides.
            await db.KeyRecoveryRequests.Where(r => r.Id == id && r.State == KeyRecoveryState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, KeyRecoveryState.Approved), cancellationToken);
            request.State = KeyRecoveryState.Approved;
        }
        if (request.State != KeyRecoveryState.Approved)
        {
            throw SegelException.Conflict(Localized.Of("Error.RecoveryNotApproved", id, StateName(request.State)));
        }
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == employeeId, cancellationToken);
        string nik = _protector.Open(PersonalDataProtector.NikPurpose, employee.NikSealed);
        HolderKeyVault.CheckPassphrase(newPassphrase, employee.Nip, nik, employee.Email.Split('@')[0]);
        List<HolderKeyRecord> keys = await EscrowedAsync(db, employeeId, cancellationToken, tracked: true);
        foreach (HolderKeyRecord key in keys)
        {
            await IntegrityAlarm.RequireIntactAsync(db, key, "complete-key-recovery", now, cancellationToken);
        }
        Dictionary<long, RecoveryKeySet> recoveryKeys = [];
        List<long> recoveryIds = [.. keys.Select(k => k.RecoveryKeyId!.Value).Distinct()];
        foreach (RecoveryKeyRecord recovery in await db.RecoveryKeys.AsNoTracking().Where(r => recoveryIds.Contains(r.Id)).ToListAsync(cancellationToken))
        {
            await IntegrityAlarm.RequireIntactAsync(db, recovery, "complete-key-recovery", now, cancellationToken);
            recoveryKeys[recovery.Id] = new RecoveryKeySet(X509CertificateLoader.LoadCertificate(recovery.CertificateDer), recovery.EncryptedPrivateKey, recovery.Threshold, []);
        }
        var approvals = await (from a in db.KeyRecoveryApprovals.AsNoTracking()
                               join s in db.RecoveryShares.AsNoTracking() on a.ShareId equals s.Id
                               where a.RequestId == id
                               select new { a.ShareId, a.SealedShare, s.RecoveryKeyId, s.Point }).ToListAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.KeyRecoveryRequests.Where(r => r.Id == id && r.State == KeyRecoveryState.Approved)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, KeyRecoveryState.Completed).SetProperty(r => r.EndedAt, now).SetProperty(r => r.EndedBy, by.Name),
                    cancellationToken) == 0)
        {
            throw SegelException.Conflict(Localized.Of("Error.RecoveryNotApproved", id, StateName(KeyRecoveryState.Completed)));
        }
        var recovered = new List<long>();
        try
        {
            foreach (HolderKeyRecord key in keys)
            {
                byte[] pkcs8 = OpenEscrow(id, recoveryKeys[key.RecoveryKeyId!.Value],
                    [.. approvals.Where(a => a.RecoveryKeyId == key.RecoveryKeyId).Select(a => (a.ShareId, a.SealedShare, a.Point))], key.Escrow!);
                try
                {
                    _vault.SealRecovered(key, pkcs8, newPassphrase!);
                    recovered.Add(key.Id);
                }
                catch (CryptographicException)
                {
                    throw SegelException.Refused(Localized.Of("Error.RecoveryDidNotOpen", id)); // the escrow held another key
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(pkcs8);
                }
            }
        }
        finally
        {
            foreach (RecoveryKeySet set in recoveryKeys.Values)
            {
                set.Certificate.Dispose();
            }
        }
        await WipeAsync(db, id, cancellationToken);
        AuditLog.Record(db, _time, by.ToActor(origin), "key-recovery.completed", $"key-recovery:{id}", new { employee = employeeId, keys = recovered });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return recovered.Count;
    }

    /// <summary>
    /// Opens the officers' shares sealed in request <paramref name="id"/>, the recovery key with them, and the escrow with that.
    /// Any failure means something was changed behind Segel's back (the rows are sealed, the shares bound to their request):
    /// a refusal, and the caller's transaction is not committed, so the request stays approved.
    /// </summary>
    private byte[] OpenEscrow(long id, RecoveryKeySet set, IReadOnlyList<(long ShareId, byte[] Sealed, int Point)> approvals, byte[] escrow)
    {
        var opened = new List<SecretShare>(approvals.Count);
        try
        {
            foreach ((long shareId, byte[] sealedShare, int point) in approvals)
            {
                opened.Add(new SecretShare((byte)point, _protector.Open(SharePurpose, sealedShare, ShareContext(id, shareId))));
            }
            return KeyRecovery.Recover(set, opened, escrow);
        }
        catch (CryptographicException)
        {
            throw SegelException.Refused(Localized.Of("Error.RecoveryDidNotOpen", id));
        }
        finally
        {
            foreach (SecretShare share in opened)
            {
                CryptographicOperations.ZeroMemory(share.Y);
            }
        }
    }

    /// <summary>Ends a request that is not finished: the holder withdraws it, or an RA officer refuses it. Its opened shares are wiped.</summary>
    public async Task CloseAsync(long id, Principal by, string? origin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (!by.Has(Role.RaOfficer))
        {
            by.RequireEmployee();
        }
        await using SegelDbContext db = _database.CreateContext();
        KeyRecoveryRequestRecord request = await FindAsync(db, id, cancellationToken);
        if (!by.Has(Role.RaOfficer) && by.EmployeeId != request.EmployeeId)
        {
            throw SegelException.NotFound(Localized.Of("Error.NoSuchRecoveryRequest", id));
        }
        DateTimeOffset now = _time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.KeyRecoveryRequests.Where(r => r.Id == id && (r.State == KeyRecoveryState.Pending || r.State == KeyRecoveryState.Approved))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, KeyRecoveryState.Closed).SetProperty(r => r.EndedAt, now).SetProperty(r => r.EndedBy, by.Name),
                    cancellationToken) == 0)
        {
            throw SegelException.Conflict(Localized.Of("Error.RecoveryRequestEnded", id));
        }
        await WipeAsync(db, id, cancellationToken);
        AuditLog.Record(db, _time, by.ToActor(origin), "key-recovery.closed", $"key-recovery:{id}", new { employee = request.EmployeeId });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Ends every request older than <see cref="Lifetime"/> and wipes its opened shares; run by the key-destruction job.</summary>
    internal async Task<int> WipeStaleAsync(CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        return await ExpireAsync(db, _time.GetUtcNow(), null, cancellationToken);
    }

    private async Task<int> ExpireAsync(SegelDbContext db, DateTimeOffset now, long? employeeId, CancellationToken cancellationToken)
    {
        DateTimeOffset before = now - Lifetime;
        List<long> stale = await db.KeyRecoveryRequests.AsNoTracking()
            .Where(r => (r.State == KeyRecoveryState.Pending || r.State == KeyRecoveryState.Approved) && r.CreatedAt < before && (employeeId == null || r.EmployeeId == employeeId))
            .Select(r => r.Id).ToListAsync(cancellationToken);
        int ended = 0;
        foreach (long id in stale)
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.KeyRecoveryRequests.Where(r => r.Id == id && (r.State == KeyRecoveryState.Pending || r.State == KeyRecoveryState.Approved))
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, KeyRecoveryState.Closed).SetProperty(r => r.EndedAt, now).SetProperty(r => r.EndedBy, "system:expiry"),
                        cancellationToken) == 1)
            {
                await WipeAsync(db, id, cancellationToken);
                AuditLog.Record(db, _time, new Actor("system:key-recovery", null), "key-recovery.closed", $"key-recovery:{id}", new { expired = true });
                await db.SaveChangesAsync(cancellationToken);
                ended++;
            }
            await tx.CommitAsync(cancellationToken);
        }
        return ended;
    }

    private static Task<int> WipeAsync(SegelDbContext db, long id, CancellationToken cancellationToken) =>
        db.KeyRecoveryApprovals.Where(a => a.RequestId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.SealedShare, Array.Empty<byte>()), cancellationToken);

    /// <summary>Opens one share with the officer's kept key for the certificate it was enveloped to (kept while the share exists).</summary>
    private async Task<byte[]> OpenShareAsync(SegelDbContext db, RecoveryShareRecord share, string? passphrase, Actor actor, CancellationToken cancellationToken)
    {
        CertificateRecord certificate = await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == share.CertificateId, cancellationToken);
        HolderKeyRecord key = await db.HolderKeys.AsNoTracking().SingleOrDefaultAsync(k => k.CertificateId == share.CertificateId && k.DestroyedAt == null, cancellationToken)
            ?? throw SegelException.Refused(Localized.Of("Error.RecoveryNoShare"));
        using X509Certificate2 officerCertificate = X509CertificateLoader.LoadCertificate(certificate.Der);
        using X509Certificate2 withKey = await _vault.UnlockAsync(key, officerCertificate, passphrase, actor, cancellationToken);
        using AsymmetricAlgorithm privateKey = CertificateKeys.PrivateKeyOf(withKey)!;
        return KeyRecovery.OpenShare(new OfficerShare(officerCertificate, (byte)share.Point, share.Envelope), privateKey).Y;
    }

    /// <summary>Every recovery key involved has its threshold of opened shares in this request.</summary>
    private static async Task<bool> EnoughAsync(SegelDbContext db, long id, List<long> recoveryKeys, CancellationToken cancellationToken)
    {
        var counts = await (from a in db.KeyRecoveryApprovals.AsNoTracking()
                            join s in db.RecoveryShares.AsNoTracking() on a.ShareId equals s.Id
                            where a.RequestId == id
                            group a by s.RecoveryKeyId into g
                            select new { RecoveryKeyId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        Dictionary<long, int> thresholds = await db.RecoveryKeys.AsNoTracking().Where(r => recoveryKeys.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => r.Threshold, cancellationToken);
        return recoveryKeys.All(k => counts.FirstOrDefault(c => c.RecoveryKeyId == k)?.Count >= Math.Max(2, thresholds[k]));
    }

    /// <summary>The recovery keys the holder's kept keys are escrowed to.</summary>
    private static async Task<List<long>> RecoveryKeysOfAsync(SegelDbContext db, long employeeId, CancellationToken cancellationToken) =>
        [.. (await EscrowedAsync(db, employeeId, cancellationToken)).Select(k => k.RecoveryKeyId!.Value).Distinct()];

    /// <summary>The holder's escrowed keys Segel still keeps.</summary>
    private static Task<List<HolderKeyRecord>> EscrowedAsync(SegelDbContext db, long employeeId, CancellationToken cancellationToken, bool tracked = false)
    {
        IQueryable<HolderKeyRecord> keys = tracked ? db.HolderKeys : db.HolderKeys.AsNoTracking();
        return keys.Where(k => k.EmployeeId == employeeId && k.Escrow != null && k.RecoveryKeyId != null && k.DestroyedAt == null).OrderBy(k => k.Id).ToListAsync(cancellationToken);
    }

    private static async Task<KeyRecoveryRequestRecord> FindAsync(SegelDbContext db, long id, CancellationToken cancellationToken) =>
        await db.KeyRecoveryRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
        ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchRecoveryRequest", id));

    private static async Task<KeyRecoveryRequestView> ViewAsync(SegelDbContext db, KeyRecoveryRequestRecord request, CancellationToken cancellationToken)
    {
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleAsync(e => e.Id == request.EmployeeId, cancellationToken);
        List<HolderKeyRecord> keys = await EscrowedAsync(db, request.EmployeeId, cancellationToken);
        List<long> certificateIds = [.. keys.Select(k => k.CertificateId).OfType<long>()];
        List<string> serials = await db.Certificates.AsNoTracking().Where(c => certificateIds.Contains(c.Id)).OrderBy(c => c.Id).Select(c => c.SerialHex).ToListAsync(cancellationToken);
        List<long> recoveryKeys = [.. keys.Select(k => k.RecoveryKeyId!.Value).Distinct()];
        int needed = recoveryKeys.Count == 0 ? 2
            : Math.Max(2, await db.RecoveryKeys.AsNoTracking().Where(r => recoveryKeys.Contains(r.Id)).MaxAsync(r => r.Threshold, cancellationToken));
        List<string> approvedBy = await db.KeyRecoveryApprovals.AsNoTracking().Where(a => a.RequestId == request.Id).OrderBy(a => a.Id)
            .Select(a => a.OfficerName).Distinct().ToListAsync(cancellationToken);
        return new KeyRecoveryRequestView(request.Id, employee.Name, employee.Nip, StateName(request.State), request.Statement, request.CreatedAt,
            request.CreatedAt + Lifetime, serials, approvedBy, needed);
    }

    private static string StateName(KeyRecoveryState state) => state.ToString().ToLowerInvariant();

    /// <summary>Binds a sealed share to its request and share, so it cannot be moved to another request in the database.</summary>
    private static byte[] ShareContext(long request, long share) =>
        System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{request}:{share}"));
}
