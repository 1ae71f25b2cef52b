using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;

namespace Segel.Core.Ca;

/// <summary>
/// Certificate status for the OCSP responder from memory: every issued serial of every issuer (<see cref="StatusTable"/>),
/// read from the database in one pass, so a request for any of a million certificates costs a binary search, not a
/// database read (issue 22.2). What the tables cannot answer goes to <see cref="DatabaseStatusSource"/>:
/// <list type="bullet">
/// <item>a serial issued after the last load (another node may have issued it), or one never issued;</item>
/// <item>anything while the tables are stale: after <see cref="Invalidate"/>, which every revocation anywhere triggers (the
/// same event that empties the responder's cache), until a reload begun after it has finished. A revocation therefore
/// shows on the very next request, as before.</item>
/// </list>
/// Loads run in the background, one at a time, and not more often than <see cref="MinLoadInterval"/>; tables older than
/// <see cref="RefreshAfter"/> keep answering while a fresh load picks up certificates issued since.
/// </summary>
internal sealed class StatusSnapshots : ICertificateStatusSource, IDisposable
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MinLoadInterval = TimeSpan.FromSeconds(2);

    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly PublishedRevocations _published;
    private readonly DatabaseStatusSource _fallback;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private long _version;
    // Far enough back that the first load is never held back.
    private long _lastLoadStarted = -(long)MinLoadInterval.TotalMilliseconds;
    private Snapshot? _snapshot;

    public StatusSnapshots(SegelDatabase database, AuthorityRing ring, PublishedRevocations published, DatabaseStatusSource fallback, TimeProvider time)
    {
        _database = database;
        _ring = ring;
        _published = published;
        _fallback = fallback;
        _time = time;
    }

    /// <summary>Whether the tables are loaded and current, and how many serials they hold (for tests).</summary>
    public (bool Current, int Serials) State => _snapshot is { } s ? (s.Version == Volatile.Read(ref _version), s.Tables.Values.Sum(t => t.Issued)) : (false, 0);

    /// <summary>Status changed somewhere: stop answering from the tables until a reload begun after this has finished.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        StartLoad();
    }

    public bool TryGetKnownStatus(string issuerSlug, ReadOnlySpan<byte> serial, out CertificateStatus status)
    {
        status = default;
        Snapshot? snapshot = _snapshot;
        if (snapshot is null || snapshot.Version != Volatile.Read(ref _version))
        {
            StartLoad();
            return false;
        }
        if (_time.GetUtcNow() - snapshot.LoadedAt > RefreshAfter)
        {
            StartLoad();
        }
        return snapshot.Tables.TryGetValue(issuerSlug, out StatusTable? table) && table.TryGet(serial, out status);
    }

    public ValueTask<CertificateStatus> GetStatusAsync(string issuerSlug, string serialHex, CancellationToken cancellationToken) =>
        _fallback.GetStatusAsync(issuerSlug, serialHex, cancellationToken);

    /// <summary>Loads the tables now and waits for it (tests, and a node that wants them before its first request).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            await LoadOnceAsync(cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    private void StartLoad()
    {
        // Pacing, not meaning: real time, so a test's frozen clock does not stop reloads.
        if (Environment.TickCount64 - Interlocked.Read(ref _lastLoadStarted) < (long)MinLoadInterval.TotalMilliseconds || !_loading.Wait(0))
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await LoadOnceAsync(CancellationToken.None);
            }
#pragma warning disable CA1031 // A failed load only means the database keeps answering; the next request tries again.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            finally
            {
                ReleaseLoading();
            }
        });
    }

    private async Task LoadOnceAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastLoadStarted, Environment.TickCount64);
        // The version is read before the rows: a revocation committed during the read bumps it, so these tables are never used.
        long version = Volatile.Read(ref _version);
        DateTimeOffset loadedAt = _time.GetUtcNow();
        IReadOnlyList<LoadedAuthority> authorities = await _ring.GetAllAsync(cancellationToken);
        Dictionary<int, string> slugs = authorities.Where(a => a.Record.Role == AuthorityRole.IssuingCa).ToDictionary(a => a.Id, a => a.Slug);
        var builders = slugs.ToDictionary(p => p.Key, _ => new StatusTable.Builder());
        await using (SegelDbContext db = _database.CreateContext())
        {
            var rows = db.Certificates.AsNoTracking()
                .Select(c => new { c.IssuerId, c.SerialHex, c.RevokedAt, c.RevocationReason })
                .AsAsyncEnumerable().WithCancellation(cancellationToken);
            await foreach (var row in rows)
            {
                if (builders.TryGetValue(row.IssuerId, out StatusTable.Builder? builder))
                {
                    builder.Add(row.SerialHex, row.RevokedAt is { } at
                        ? CertificateStatus.Revoked(at, (RevocationReason)(row.RevocationReason ?? 0))
                        : CertificateStatus.Good);
                }
            }
        }
        foreach ((int issuerId, StatusTable.Builder builder) in builders)
        {
            byte[]? crl = await _published.ReadLatestAsync(issuerId, cancellationToken);
            foreach ((string serial, PublishedRevocation listed) in crl is null ? [] : PublishedRevocations.Enumerate(crl))
            {
                builder.AddPublished(serial, CertificateStatus.Revoked(listed.RevokedAt, listed.Reason));
            }
        }
        var tables = builders.ToFrozenDictionary(p => slugs[p.Key], p => p.Value.Build(), StringComparer.Ordinal);
        Volatile.Write(ref _snapshot, new Snapshot(version, loadedAt, tables));
    }

    // A background load may end after the CA was disposed (a test, a stopping server): nothing is left to release then.
    private void ReleaseLoading()
    {
        try
        {
            _loading.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _loading.Dispose();

    private sealed record Snapshot(long Version, DateTimeOffset LoadedAt, FrozenDictionary<string, StatusTable> Tables);
}
