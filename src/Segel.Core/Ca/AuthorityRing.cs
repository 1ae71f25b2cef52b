using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>
/// Segel's own authorities (root, issuing CA, OCSP responder, TSA), read once and kept with their keys
/// open: unsealing a key per request would cost a KDF round and an HSM login each time.
/// </summary>
internal sealed class AuthorityRing : IDisposable
{
    private readonly SegelDatabase _database;
    private readonly IKeyStore _keyStore;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private IReadOnlyList<LoadedAuthority>? _authorities;

    public AuthorityRing(SegelDatabase database, IKeyStore keyStore)
    {
        _database = database;
        _keyStore = keyStore;
    }

    public async Task<IReadOnlyList<LoadedAuthority>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<LoadedAuthority>? loaded = Volatile.Read(ref _authorities);
        if (loaded is not null)
        {
            return loaded;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_authorities is null)
            {
                await using SegelDbContext db = _database.CreateContext();
                // A pending issuing CA is only a key and a request: nothing signs with it until its certificate is installed.
                List<AuthorityRecord> records = await db.Authorities.AsNoTracking().Where(a => a.Role != AuthorityRole.PendingIssuingCa)
                    .OrderBy(a => a.Id).ToListAsync(cancellationToken);
                _authorities = records.Select(Load).ToList();
            }
            return _authorities;
        }
        finally
        {
            _loading.Release();
        }
    }

    public async Task<bool> IsInitializedAsync(CancellationToken cancellationToken = default) =>
        (await GetAllAsync(cancellationToken)).Count > 0 || await AnyInDatabaseAsync(cancellationToken);

    /// <summary>The active authority in <paramref name="role"/>; fails with a clear message when the CA is not initialised.</summary>
    public async Task<LoadedAuthority> GetActiveAsync(AuthorityRole role, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<LoadedAuthority> all = await GetAllAsync(cancellationToken);
        if (all.LastOrDefault(a => a.Record.Role == role && a.Record.Active) is { } found)
        {
            return found;
        }
        // Read again next time: another process (`segel init`, `segel ca install`) may be about to add it.
        Reset();
        await using SegelDbContext db = _database.CreateContext();
        if (await db.Authorities.AnyAsync(a => a.Role == AuthorityRole.PendingIssuingCa, cancellationToken))
        {
            throw new SegelException(ErrorKind.NotReady,
                Localized.Of("Error.IssuingCaWaitsCertificateOutside"));
        }
        throw new SegelException(ErrorKind.NotReady, Localized.Of("Error.CaNotInitialisedHereRun"));
    }

    public async Task<LoadedAuthority?> FindBySlugAsync(string slug, CancellationToken cancellationToken = default) =>
        (await GetAllAsync(cancellationToken)).FirstOrDefault(a => string.Equals(a.Slug, slug, StringComparison.OrdinalIgnoreCase));

    public async Task<LoadedAuthority?> FindByIdAsync(int id, CancellationToken cancellationToken = default) =>
        (await GetAllAsync(cancellationToken)).FirstOrDefault(a => a.Id == id);

    /// <summary>The certificates from authority <paramref name="id"/> up to its root, in that order (empty for null).</summary>
    public async Task<IReadOnlyList<X509Certificate2>> ChainFromAsync(int? id, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<LoadedAuthority> all = await GetAllAsync(cancellationToken);
        var chain = new List<X509Certificate2>();
        for (LoadedAuthority? current = all.FirstOrDefault(a => a.Id == id); current is not null && chain.Count < 8;
             current = current.Record.ParentId == current.Id ? null : all.FirstOrDefault(a => a.Id == current.Record.ParentId))
        {
            chain.Add(current.Certificate);
        }
        return chain;
    }

    /// <summary>The delegated OCSP responder currently certified by <paramref name="issuer"/>, if any.</summary>
    public static LoadedAuthority? ActiveResponderFor(IReadOnlyList<LoadedAuthority> all, LoadedAuthority issuer)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(issuer);
        return all.LastOrDefault(a => a.Record.Role == AuthorityRole.OcspResponder && a.Record.Active && a.Record.ParentId == issuer.Id);
    }

    /// <summary>Issuers that publish CRLs: the root and every issuing CA, rolled-over ones included; never an outside CA, whose CRL is its own.</summary>
    public async Task<IReadOnlyList<LoadedAuthority>> GetIssuersAsync(CancellationToken cancellationToken = default) =>
        (await GetAllAsync(cancellationToken)).Where(a => a.Record.Role is AuthorityRole.RootCa or AuthorityRole.IssuingCa && a.HasKey).ToList();

    /// <summary>Forget what was loaded (after initialisation or a rollover).</summary>
    /// <remarks>Keys of the forgotten list may still be signing on another thread, so they are left to the GC, not disposed.</remarks>
    public void Reset() => Volatile.Write(ref _authorities, null);

    private async Task<bool> AnyInDatabaseAsync(CancellationToken cancellationToken)
    {
        await using SegelDbContext db = _database.CreateContext();
        bool any = await db.Authorities.AnyAsync(cancellationToken);
        if (any)
        {
            Reset();
        }
        return any;
    }

    private LoadedAuthority Load(AuthorityRecord record)
    {
        X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(record.CertificateDer);
        if (record.KeyUri == AuthorityRecord.OutsideKeyUri)
        {
            return new LoadedAuthority(record, certificate, new OutsideKey(record.Slug, certificate));
        }
        var stored = new StoredKey(record.KeyUri, KeyAlgorithms.Parse(record.KeyAlgorithm), record.SealedKey);
        return new LoadedAuthority(record, certificate, _keyStore.Open(stored));
    }

    public void Dispose()
    {
        foreach (LoadedAuthority authority in _authorities ?? [])
        {
            authority.Key.Dispose();
        }
        _loading.Dispose();
    }
}
