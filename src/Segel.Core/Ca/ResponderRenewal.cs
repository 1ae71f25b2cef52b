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
/// Replaces the issuing CA's service certificates before they expire (issue 21.5): the delegated OCSP responder, trusted
/// for its whole lifetime (id-pkix-ocsp-nocheck) and so kept short (a year by default), and the time-stamping authority
/// (six years by default), whose tokens must go on being issued when the first certificate ends. Each is renewed with a
/// new key when a quarter of its life is left — unless the new certificate would end no later than the current one (the
/// issuing CA ending first caps both; its own rollover is another matter). The new authority and the retirement of the
/// old one commit together; two nodes renewing at once collide on the new slug and one of them gives way. A retired TSA
/// certificate stays in the ring: tokens it made go on verifying with it, and its status with the issuing CA's OCSP.
/// </summary>
public sealed class ResponderRenewal
{
    private readonly SegelDatabase _database;
    private readonly IKeyStore _keyStore;
    private readonly CaSettings _settings;
    private readonly AuthorityRing _ring;
    private readonly TimeProvider _time;

    /// <summary>What a service certificate is: its role, slug, key, name, profile, lifetime and the audit action of its renewal.</summary>
    private sealed record Service(AuthorityRole Role, string Slug, KeyAlgorithm Algorithm, string Name, CertificateProfile Profile, Func<DateTimeOffset, DateTimeOffset> End, string Action);

    internal ResponderRenewal(SegelDatabase database, IKeyStore keyStore, CaSettings settings, AuthorityRing ring, TimeProvider time)
    {
        _database = database;
        _keyStore = keyStore;
        _settings = settings;
        _ring = ring;
        _time = time;
    }

    /// <summary>Renews every service certificate that is due: each active issuing CA's responder, and the TSA. Returns how many were renewed.</summary>
    public async Task<int> RenewDueAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "renew the OCSP responder");
        Actor actor = by.ToActor();
        int renewed = 0;
        IReadOnlyList<LoadedAuthority> all = await _ring.GetAllAsync(cancellationToken);
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        var ocsp = new Service(AuthorityRole.OcspResponder, CaInitializer.OcspSlug, _settings.OcspAlgorithm, ServiceCertificates.OcspResponderName,
            CertificateProfile.Ocsp, at => at + _settings.OcspResponderValidity, "ocsp-responder.renewed");
        var tsa = new Service(AuthorityRole.TimeStamping, CaInitializer.TsaSlug, _settings.TsaAlgorithm, ServiceCertificates.TsaName,
            CertificateProfile.Tsa, at => at.AddYears(_settings.TsaValidityYears), "tsa.renewed");
        List<LoadedAuthority> issuers = [.. all.Where(a => a.Record.Role == AuthorityRole.IssuingCa && a.Record.Active)];
        foreach (LoadedAuthority issuer in issuers)
        {
            if (await RenewIfDueAsync(ocsp, issuer, AuthorityRing.ActiveResponderFor(all, issuer), now, actor, cancellationToken))
            {
                renewed++;
            }
        }
        // One TSA answers for the CA, certified by the issuing CA that issues now.
        if (issuers.LastOrDefault() is { } current
            && await RenewIfDueAsync(tsa, current, all.LastOrDefault(a => a.Record.Role == AuthorityRole.TimeStamping && a.Record.Active), now, actor, cancellationToken))
        {
            renewed++;
        }
        if (renewed > 0)
        {
            _ring.Reset();
        }
        return renewed;
    }

    private async Task<bool> RenewIfDueAsync(Service service, LoadedAuthority issuer, LoadedAuthority? current, DateTimeOffset now, Actor actor, CancellationToken cancellationToken)
    {
        DateTimeOffset notAfter = ServiceCertificates.Earlier(service.End(now), issuer.Record.NotAfter);
        if (current is not null && (now < current.Record.NotAfter - (current.Record.NotAfter - current.Record.NotBefore) / 4 || notAfter <= current.Record.NotAfter))
        {
            return false;
        }
        string slug = $"{service.Slug}-{now.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}";
        var signer = new CertificateSigner(issuer.Certificate, issuer.Slug, issuer.Key, _settings.Policy);
        (X509Certificate2 certificate, StoredKey key) = ServiceCertificates.Issue(_keyStore, signer, slug, service.Algorithm,
            _settings.Subject(service.Name), service.Profile, now, notAfter);

        await using SegelDbContext db = _database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Authorities.Add(ServiceCertificates.Authority(slug, service.Role, certificate, key, now, issuer.Id));
        CertificateRecord issued = ServiceCertificates.Issued(certificate, service.Profile, now);
        issued.IssuerId = issuer.Id;
        db.Certificates.Add(issued);
        TransparencyLeaves.RecordIssued(db, issued, now);
        // Retired only if still active: a node that has not yet re-read the authorities may see a certificate another
        // node already replaced, and must not add a second one beside that node's.
        if (current is not null && await db.Authorities.Where(a => a.Id == current.Id && a.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Active, false), cancellationToken) == 0)
        {
            return false;
        }
        AuditLog.Record(db, _time, actor, service.Action, slug,
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
