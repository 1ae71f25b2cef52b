using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki;
using Segel.Pki.Certificates;
using Segel.Pki.Crl;
using Segel.Pki.Revocation;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>A published CRL: its number, validity, how many serials it lists, and its DER as served at <c>/crl/</c>.</summary>
public sealed record CrlView(int IssuerId, long Number, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, int EntryCount, byte[] Der)
{
    internal static CrlView Of(CrlRecord c) => new(c.IssuerId, c.Number, c.ThisUpdate, c.NextUpdate, c.EntryCount, c.Der);
}

/// <summary>
/// Publishes full CRLs. The next number is read <em>before</em> the revoked entries, and (issuer, number)
/// is unique: so when two nodes publish at once, the one that wins the higher number has seen every
/// revocation committed before either began, and the loser retries on fresh data.
/// </summary>
public sealed class CrlPublisher
{
    private const int KeptPerIssuer = 10;
    private const int Attempts = 10;
    private readonly SegelDatabase _database;
    private readonly CaSettings _settings;
    private readonly TimeProvider _time;

    internal CrlPublisher(SegelDatabase database, CaSettings settings, TimeProvider time)
    {
        _database = database;
        _settings = settings;
        _time = time;
    }

    /// <summary>
    /// Publishes a new CRL for <paramref name="issuer"/>. With <paramref name="unlessCurrent"/> (after a revocation) a CRL that
    /// already lists every revocation is kept instead: when many revocations land at once, nodes that find another has
    /// already published what they would, publish nothing (the revoked set only grows, so an equal count is the same set).
    /// </summary>
    /// <param name="minimumNumber">At least this number (after a restore, past every number the CA may have published before it).</param>
    public async Task<CrlView> PublishAsync(LoadedAuthority issuer, bool unlessCurrent = false, long minimumNumber = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        for (int attempt = 1; ; attempt++)
        {
            await using SegelDbContext db = _database.CreateContext();
            // On SQLite this takes the write lock before the last number is read (BEGIN IMMEDIATE), so processes sharing
            // the file never collide; PostgreSQL nodes can, and the loser of a number retries after a short, random wait.
            await using Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.LockCrlNumbersAsync(issuer.Id, cancellationToken);
            CrlRecord? latest = await db.Crls.AsNoTracking().Where(c => c.IssuerId == issuer.Id).OrderByDescending(c => c.Number).FirstOrDefaultAsync(cancellationToken);
            long last = Math.Max(latest?.Number ?? 0, minimumNumber - 1);
            // Rows are streamed into the entries (a million of them, read as a list first, cost hundreds of MB more).
            var revoked = new List<RevokedEntry>();
            var listed = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var row in db.Certificates.AsNoTracking()
                .Where(c => c.IssuerId == issuer.Id && c.RevokedAt != null)
                .Select(c => new { c.SerialHex, c.RevokedAt, c.RevocationReason })
                .AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                revoked.Add(new RevokedEntry(Convert.FromHexString(row.SerialHex), row.RevokedAt!.Value, (RevocationReason)(row.RevocationReason ?? 0)));
                listed.Add(row.SerialHex);
            }
            revoked.AddRange(await NeverForgottenAsync(db, issuer, latest, listed, cancellationToken));
            if (unlessCurrent && latest is not null && latest.EntryCount == revoked.Count)
            {
                return CrlView.Of(latest);
            }
            DateTimeOffset thisUpdate = _time.GetUtcNow().ToWholeSeconds();
            byte[] der = CrlSigner.Sign(issuer.Certificate, issuer.Key, last + 1, thisUpdate, thisUpdate + _settings.CrlValidity, revoked);
            var record = new CrlRecord
            {
                IssuerId = issuer.Id,
                Number = last + 1,
                ThisUpdate = thisUpdate,
                NextUpdate = thisUpdate + _settings.CrlValidity,
                EntryCount = revoked.Count,
                Der = der,
            };
            db.Crls.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e) && attempt < Attempts)
            {
                await transaction.RollbackAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken); // a backoff, not a clock the CA keeps
                continue;
            }
            // Old CRLs are history nobody fetches; keep a few for diagnosis.
            await db.Crls.Where(c => c.IssuerId == issuer.Id && c.Number <= record.Number - KeptPerIssuer).ExecuteDeleteAsync(cancellationToken);
            return CrlView.Of(record);
        }
    }

    /// <summary>
    /// A CRL never forgets (Pasal 17(3)): every serial the previous CRL listed is on the next one. One the database does not
    /// know (a certificate issued after a restored backup) is carried forward as listed; one the database knows but no
    /// longer shows revoked was changed behind Segel's back, and publication is refused — the CRL job then fails loudly and
    /// <c>/health</c> reports the CRL overdue — while OCSP keeps answering "revoked" from the published CRL. The same holds
    /// for every revocation the transparency log recorded with the revocation itself, so one undone before any CRL listed
    /// it, or with the old CRLs deleted as well, is caught too.
    /// </summary>
    /// <param name="current">The serials the database lists as revoked now, as it stores them (upper-case hex).</param>
    private static async Task<List<RevokedEntry>> NeverForgottenAsync(SegelDbContext db, LoadedAuthority issuer, CrlRecord? previous, HashSet<string> current,
        CancellationToken cancellationToken)
    {
        string? undone = await (from e in db.LogEntries
                                join c in db.Certificates on e.Subject equals c.SerialHex
                                where e.Kind == TransparencyLeaves.Revoked && c.IssuerId == issuer.Id && c.RevokedAt == null
                                select c.SerialHex).FirstOrDefaultAsync(cancellationToken);
        if (undone is not null)
        {
            throw SegelException.Refused(
                Localized.Of("Error.TransparencyLogRecordsCertificateRevoked", undone, issuer.Slug));
        }
        if (previous is null)
        {
            return [];
        }
        var carried = new List<RevokedEntry>();
        foreach ((string serial, PublishedRevocation listed) in PublishedRevocations.Enumerate(previous.Der).Where(e => !current.Contains(e.Serial)))
        {
            if (await db.Certificates.AnyAsync(c => c.IssuerId == issuer.Id && c.SerialHex == serial, cancellationToken))
            {
                throw SegelException.Refused(
                    Localized.Of("Error.CrlListsCertificateRevokedBut", previous.Number, issuer.Slug, serial));
            }
            carried.Add(new RevokedEntry(Convert.FromHexString(serial), listed.RevokedAt, listed.Reason));
        }
        return carried;
    }

    public async Task<CrlView?> GetLatestAsync(int issuerId, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        CrlRecord? latest = await db.Crls.AsNoTracking().Where(c => c.IssuerId == issuerId).OrderByDescending(c => c.Number).FirstOrDefaultAsync(cancellationToken);
        return latest is null ? null : CrlView.Of(latest);
    }

    /// <summary>
    /// Whether <paramref name="issuer"/> still answers for certificates: the active one always; one rolled over (issue 21.5)
    /// until the last certificate it issued has expired — then its CRL and OCSP responder stop.
    /// </summary>
    public async Task<bool> IsServingAsync(LoadedAuthority issuer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (issuer.Active)
        {
            return true;
        }
        await using SegelDbContext db = _database.CreateContext();
        DateTimeOffset now = _time.GetUtcNow();
        // Its own OCSP responder's certificate does not count: nobody asks its status (id-pkix-ocsp-nocheck), and it is
        // renewed for as long as the CA serves, so counting it would keep the CA serving for ever.
        string responder = CertificateProfile.Ocsp.ToName();
        return await db.Certificates.AnyAsync(c => c.IssuerId == issuer.Id && c.NotAfter > now && c.Profile != responder, cancellationToken);
    }

    /// <summary>
    /// Publishes a new CRL where the current one is due for refresh, or where it lists fewer entries than
    /// there are revocations (a node that revoked crashed before publishing).
    /// </summary>
    public async Task<int> PublishDueAsync(IEnumerable<LoadedAuthority> issuers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        int published = 0;
        foreach (LoadedAuthority issuer in issuers)
        {
            if (!await IsServingAsync(issuer, cancellationToken))
            {
                continue; // a rolled-over CA whose last certificate has expired: nothing left to answer for
            }
            CrlView? latest = await GetLatestAsync(issuer.Id, cancellationToken);
            bool due = latest is null || _time.GetUtcNow() >= latest.ThisUpdate + _settings.CrlRefresh;
            if (!due)
            {
                await using SegelDbContext db = _database.CreateContext();
                int revoked = await db.Certificates.CountAsync(c => c.IssuerId == issuer.Id && c.RevokedAt != null, cancellationToken);
                due = revoked != latest!.EntryCount;
            }
            if (due)
            {
                await PublishAsync(issuer, cancellationToken: cancellationToken);
                published++;
            }
        }
        return published;
    }
}
