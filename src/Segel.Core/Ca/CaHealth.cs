using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;

namespace Segel.Core.Ca;

/// <summary>One CA certificate as operators watch it: when it ends and how fresh its CRL is.</summary>
public sealed record AuthorityHealth(string Slug, AuthorityRole Role, string Subject, string KeyAlgorithm, bool KeyOnHsm, DateTimeOffset NotAfter,
    long? CrlNumber, DateTimeOffset? CrlThisUpdate, DateTimeOffset? CrlNextUpdate, bool Healthy);

/// <summary>Whether the CA can answer relying parties: every issuer's CRL current, the OCSP and time-stamping certificates valid.</summary>
public sealed record CaHealthReport(string Database, IReadOnlyList<AuthorityHealth> Issuers, IReadOnlyList<AuthorityHealth> Responders, AuthorityHealth? Root,
    DateTimeOffset CheckedAt)
{
    public bool Healthy => Issuers.All(i => i.Healthy) && Responders.All(r => r.Healthy);
}

/// <summary>The facts behind <c>/health</c> and the administrators' CA status page, read once for both.</summary>
public sealed class CaHealth
{
    private readonly SegelCa _ca;

    public CaHealth(SegelCa ca) => _ca = ca;

    /// <summary>Throws what the database throws when it does not answer; callers report that as down.</summary>
    public async Task<CaHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        await using (SegelDbContext db = _ca.Database.CreateContext())
        {
            await db.Authorities.AnyAsync(cancellationToken);
        }
        DateTimeOffset now = _ca.Time.GetUtcNow();
        IReadOnlyList<LoadedAuthority> all = await _ca.Ring.GetAllAsync(cancellationToken);
        var issuers = new List<AuthorityHealth>();
        foreach (LoadedAuthority issuer in await _ca.Ring.GetIssuersAsync(cancellationToken))
        {
            CrlRecord? crl = await _ca.Crls.GetLatestAsync(issuer.Id, cancellationToken);
            issuers.Add(Of(issuer, crl, crl is not null && crl.NextUpdate > now && issuer.Record.NotAfter > now));
        }
        List<AuthorityHealth> responders = all.Where(a => a.Record.Role is AuthorityRole.OcspResponder or AuthorityRole.TimeStamping && a.Record.Active)
            .Select(r => Of(r, null, r.Record.NotAfter > now)).ToList();
        LoadedAuthority? root = all.FirstOrDefault(a => a.Record.Role == AuthorityRole.RootCa && a.Record.Active);
        return new CaHealthReport(_ca.Database.Provider.ToString().ToLowerInvariant(), issuers, responders,
            root is null ? null : Of(root, null, root.Record.NotAfter > now), now);
    }

    private static AuthorityHealth Of(LoadedAuthority a, CrlRecord? crl, bool healthy) =>
        new(a.Slug, a.Record.Role, a.Certificate.Subject, a.Record.KeyAlgorithm, a.Record.KeyUri.StartsWith(Pki.Keys.Pkcs11KeyStore.Scheme + ":", StringComparison.Ordinal), a.Record.NotAfter,
            crl?.Number, crl?.ThisUpdate, crl?.NextUpdate, healthy);
}
