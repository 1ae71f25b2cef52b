using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;

namespace Segel.Core.Ca;

/// <summary>
/// Replaces the delegated OCSP responder before its certificate expires. The responder is trusted for its
/// whole lifetime (id-pkix-ocsp-nocheck), so it is kept short (a year by default) and renewed with a new
/// key when a quarter of its life is left. The new authority and the retirement of the old one commit
/// together; two nodes renewing at once collide on the new slug and one of them gives way.
/// </summary>
public sealed class ResponderRenewal
{
    private readonly SegelDatabase _database;
    private readonly IKeyStore _keyStore;
    private readonly CaSettings _settings;
    private readonly AuthorityRing _ring;
    private readonly TimeProvider _time;

    internal ResponderRenewal(SegelDatabase database, IKeyStore keyStore, CaSettings settings, AuthorityRing ring, TimeProvider time)
    {
        _database = database;
        _keyStore = keyStore;
        _settings = settings;
        _ring = ring;
        _time = time;
    }

    /// <summary>Renews every issuing CA's responder that is due. Returns how many were renewed.</summary>
    public async Task<int> RenewDueAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "renew the OCSP responder");
        Actor actor = by.ToActor();
        int renewed = 0;
        IReadOnlyList<LoadedAuthority> all = await _ring.GetAllAsync(cancellationToken);
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        foreach (LoadedAuthority issuer in all.Where(a => a.Record.Role == AuthorityRole.IssuingCa && a.Record.Active))
        {
            LoadedAuthority? current = AuthorityRing.ActiveResponderFor(all, issuer);
            if (current is not null && now < current.Record.NotAfter - (current.Record.NotAfter - current.Record.NotBefore) / 4)
            {
                continue;
            }
            if (await RenewAsync(issuer, current, now, actor, cancellationToken))
            {
                renewed++;
            }
        }
        if (renewed > 0)
        {
            _ring.Reset();
        }
        return renewed;
    }

    private async Task<bool> RenewAsync(LoadedAuthority issuer, LoadedAuthority? current, DateTimeOffset now, Actor actor, CancellationToken cancellationToken)
    {
        string slug = $"{CaInitializer.OcspSlug}-{now.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}";
        var signer = new CertificateSigner(issuer.Certificate, issuer.Slug, issuer.Key, _settings.Policy);
        (X509Certificate2 certificate, StoredKey key) = ServiceCertificates.Issue(_keyStore, signer, slug, _settings.OcspAlgorithm,
            _settings.Subject(ServiceCertificates.OcspResponderName), CertificateProfile.Ocsp, now,
            ServiceCertificates.Earlier(now + _settings.OcspResponderValidity, issuer.Record.NotAfter));

        await using SegelDbContext db = _database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Authorities.Add(ServiceCertificates.Authority(slug, AuthorityRole.OcspResponder, certificate, key, now, issuer.Id));
        CertificateRecord issued = ServiceCertificates.Issued(certificate, CertificateProfile.Ocsp, now);
        issued.IssuerId = issuer.Id;
        db.Certificates.Add(issued);
        TransparencyLeaves.RecordIssued(db, issued, now);
        if (current is not null)
        {
            await db.Authorities.Where(a => a.Id == current.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Active, false), cancellationToken);
        }
        AuditLog.Record(db, _time, actor, "ocsp-responder.renewed", slug,
            new { issuer = issuer.Slug, replaces = current?.Slug, serial = issued.SerialHex, notAfter = issued.NotAfter });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            return false; // another node renewed in the same minute
        }
    }
}
