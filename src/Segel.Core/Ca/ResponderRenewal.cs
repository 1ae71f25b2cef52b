using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>
/// Renews the CA's own certificates before they run out (issue 21.5). The **issuing CA** is rolled over — a new key and
/// certificate from the root — when its remaining life drops below the holders' two years plus a margin, so a
/// two-year certificate can always be issued; new certificates then come from the new one, and the old one keeps
/// signing its CRL and its OCSP responder keeps being renewed until the last certificate it issued has expired
/// (<see cref="CrlPublisher.IsServingAsync"/>). The delegated **OCSP responder** of every serving issuing CA, trusted for
/// its whole lifetime (id-pkix-ocsp-nocheck) and so kept short (a year by default), and the **time-stamping authority**
/// (six years by default), whose tokens must go on being issued when the first certificate ends, are renewed with a new
/// key when a quarter of their life is left — unless the new certificate would end no later than the current one (the
/// CA above ending first caps it; its own rollover comes first). The new authority and the retirement of the old one
/// commit together; two nodes renewing at once retire the same certificate conditionally and one of them gives way. A retired TSA
/// certificate stays in the ring: tokens it made go on verifying with it, and its status with the issuing CA's OCSP.
/// Under an outside root the issuing CA is not rolled over here: the outside CA certifies its successor.
/// </summary>
public sealed class ResponderRenewal
{
    private readonly SegelDatabase _database;
    private readonly IKeyStore _keyStore;
    private readonly CaSettings _settings;
    private readonly AuthorityRing _ring;
    private readonly CrlPublisher _crls;
    private readonly TimeProvider _time;

    /// <summary>
    /// What a renewed certificate is: its role, slug, key, name, profile, lifetime, when the current one is due for
    /// replacement, and the audit action of its renewal.
    /// </summary>
    private sealed record Service(AuthorityRole Role, string Slug, KeyAlgorithm Algorithm, string Name, CertificateProfile Profile, Func<DateTimeOffset, DateTimeOffset> End,
        Func<LoadedAuthority, DateTimeOffset> DueAt, string Action);

    internal ResponderRenewal(SegelDatabase database, IKeyStore keyStore, CaSettings settings, AuthorityRing ring, CrlPublisher crls, TimeProvider time)
    {
        _database = database;
        _keyStore = keyStore;
        _settings = settings;
        _ring = ring;
        _crls = crls;
        _time = time;
    }

    private static DateTimeOffset QuarterLeft(LoadedAuthority current) =>
        current.Record.NotAfter - (current.Record.NotAfter - current.Record.NotBefore) / 4;

    private Service IssuingCa(IReadOnlyList<LoadedAuthority> all) => new(AuthorityRole.IssuingCa, CaInitializer.IssuingSlug, _settings.IssuingAlgorithm,
        // Each generation its own name, so no client ever mistakes one issuing CA for another by name alone.
        $"{_settings.IssuingName} G{all.Count(a => a.Record.Role == AuthorityRole.IssuingCa) + 1}",
        CertificateProfile.IssuingCa, at => at.AddYears(_settings.IssuingValidityYears),
        current => current.Record.NotAfter.AddYears(-CaSettings.HolderValidityYears) - _settings.IssuingRolloverMargin, "issuing-ca.renewed");

    /// <summary>
    /// Renews every certificate that is due: the issuing CA (when the root is Segel's own), then each serving issuing CA's
    /// responder, and the TSA. Returns how many were renewed.
    /// </summary>
    public async Task<int> RenewDueAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "renew-the-ocsp-responder");
        Actor actor = by.ToActor();
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        int renewed = await RollOverRootAsync(force: false, now, actor, cancellationToken) ? 1 : 0;
        renewed += await RollOverAsync(force: false, now, actor, cancellationToken) is null ? 0 : 1;
        return renewed + await RenewServicesAsync(now, actor, cancellationToken);
    }

    /// <summary>
    /// <c>segel ca renew --issuer root-ca</c>: a new root now, whether due or not, with its link certificates. Refused under
    /// an outside root.
    /// </summary>
    public async Task<LoadedAuthority> RollOverRootAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "roll-the-root-ca-over");
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        if (!await RollOverRootAsync(force: true, now, by.ToActor(), cancellationToken))
        {
            throw SegelException.Conflict(Localized.Of("Error.RootNotRolledOverOutside"));
        }
        return await _ring.GetActiveAsync(AuthorityRole.RootCa, cancellationToken);
    }

    /// <summary>
    /// A root key update (as RFC 4210 §4.4 describes it): a new self-signed root, due when a quarter of the current root's
    /// life is left or when a new issuing CA could no longer get its full life under it, whichever comes first; and two
    /// link certificates — the new root's key certified by the old root, the old root's by the new — so relying parties
    /// that trust only one of them still reach everything. The old root stays trusted and keeps signing its CRL while a
    /// certificate it issued is valid; new issuing CAs come from the new root.
    /// </summary>
    private async Task<bool> RollOverRootAsync(bool force, DateTimeOffset now, Actor actor, CancellationToken cancellationToken)
    {
        IReadOnlyList<LoadedAuthority> all = await _ring.GetAllAsync(cancellationToken);
        LoadedAuthority? root = all.LastOrDefault(a => a.Record.Role == AuthorityRole.RootCa && a.Record.Active);
        if (root is null || !root.HasKey)
        {
            return false;
        }
        DateTimeOffset due = ServiceCertificates.Earlier(QuarterLeft(root), root.Record.NotAfter.AddYears(-_settings.IssuingValidityYears));
        if (!force && now < due)
        {
            return false;
        }
        string slug = $"{CaInitializer.RootSlug}-{now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
        StoredKey key = _keyStore.Generate(slug, _settings.RootAlgorithm);
        using ISigningKey newKey = _keyStore.Open(key);
        // The same name as the root it replaces (told apart by key identifiers), so the link certificates are self-issued:
        // RFC 5280 §6.1.4 does not count them against a path length constraint, and every root's pathLen keeps holding.
        X509Certificate2 next = CertificateSigner.SelfSignRoot(newKey, root.Certificate.SubjectName, now, now.AddYears(_settings.RootValidityYears), _settings.Policy);
        X509Certificate2 newWithOld = new CertificateSigner(root.Certificate, root.Slug, root.Key, _settings.Policy).Sign(
            new CertificateTemplate(next.SubjectName, newKey.PublicKey, CertificateProfile.RootCa, now, root.Record.NotAfter, SerialNumber.New()));
        X509Certificate2 oldWithNew = new CertificateSigner(next, slug, newKey, _settings.Policy).Sign(
            new CertificateTemplate(root.Certificate.SubjectName, root.Certificate.PublicKey, CertificateProfile.RootCa, now, root.Record.NotAfter, SerialNumber.New()));

        await using SegelDbContext db = _database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Authorities.Where(a => a.Id == root.Id && a.Active).ExecuteUpdateAsync(s => s.SetProperty(a => a.Active, false), cancellationToken) == 0)
        {
            _ring.Reset(); // another node rolled the root over: read again before the issuing CA is looked at
            return false;
        }
        AuthorityRecord record = ServiceCertificates.Authority(slug, AuthorityRole.RootCa, next, key, now);
        db.Authorities.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            _ring.Reset();
            return false; // another node rolled over in the same second
        }
        foreach ((X509Certificate2 link, int signer, string suffix) in new[] { (newWithOld, root.Id, "new-with-old"), (oldWithNew, record.Id, "old-with-new") })
        {
            db.Authorities.Add(new AuthorityRecord
            {
                Slug = $"{slug}-{suffix}",
                Role = AuthorityRole.LinkCa,
                ParentId = signer,
                CertificateDer = link.RawData,
                KeyUri = AuthorityRecord.OutsideKeyUri,
                KeyAlgorithm = _settings.RootAlgorithm.ToConfigName(),
                NotBefore = link.NotBefore.ToUniversalTime(),
                NotAfter = link.NotAfter.ToUniversalTime(),
                CreatedAt = now,
            });
            CertificateRecord issued = ServiceCertificates.Issued(link, CertificateProfile.RootCa, now);
            issued.IssuerId = signer;
            db.Certificates.Add(issued);
            TransparencyLeaves.RecordIssued(db, issued, now);
        }
        AuditLog.Record(db, _time, actor, "root-ca.renewed", slug, new { replaces = root.Slug, subject = next.Subject, notAfter = record.NotAfter });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        _ring.Reset();
        await _crls.PublishAsync(await _ring.GetActiveAsync(AuthorityRole.RootCa, cancellationToken), cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>
    /// <c>segel ca renew --issuer issuing-ca</c>: rolls the issuing CA over now, whether due or not (a new key, say, after a
    /// suspicion), and certifies a responder and TSA with the new one. Refused when the root would not let the new one
    /// outlive the current one, or the root is an outside CA's.
    /// </summary>
    public async Task<LoadedAuthority> RollOverIssuingCaAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "roll-the-issuing-ca-over");
        Actor actor = by.ToActor();
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        LoadedAuthority renewed = await RollOverAsync(force: true, now, actor, cancellationToken)
            ?? throw SegelException.Conflict(Localized.Of("Error.IssuingCaNotRolledOver"));
        await RenewServicesAsync(now, actor, cancellationToken);
        return renewed;
    }

    /// <summary>The issuing CA's rollover when due (or <paramref name="force"/>d); the new issuing CA, or null when none was made.</summary>
    private async Task<LoadedAuthority?> RollOverAsync(bool force, DateTimeOffset now, Actor actor, CancellationToken cancellationToken)
    {
        IReadOnlyList<LoadedAuthority> all = await _ring.GetAllAsync(cancellationToken);
        LoadedAuthority? root = all.LastOrDefault(a => a.Record.Role == AuthorityRole.RootCa && a.Record.Active);
        LoadedAuthority? current = all.LastOrDefault(a => a.Record.Role == AuthorityRole.IssuingCa && a.Record.Active);
        if (root is null || current is null)
        {
            return null;
        }
        if (!root.HasKey)
        {
            return force
                ? throw SegelException.Conflict(Localized.Of("Error.RootOutsideCaCertifiesNext"))
                : null;
        }
        if (!await RenewIfDueAsync(IssuingCa(all), root, current, now, actor, force, cancellationToken))
        {
            return null;
        }
        _ring.Reset();
        LoadedAuthority next = await _ring.GetActiveAsync(AuthorityRole.IssuingCa, cancellationToken);
        await _crls.PublishAsync(next, cancellationToken: cancellationToken);
        return next;
    }

    /// <summary>The responders of every issuing CA still serving, and the TSA under the one that issues now.</summary>
    private async Task<int> RenewServicesAsync(DateTimeOffset now, Actor actor, CancellationToken cancellationToken)
    {
        int renewed = 0;
        IReadOnlyList<LoadedAuthority> all = await _ring.GetAllAsync(cancellationToken);
        var ocsp = new Service(AuthorityRole.OcspResponder, CaInitializer.OcspSlug, _settings.OcspAlgorithm, ServiceCertificates.OcspResponderName,
            CertificateProfile.Ocsp, at => at + _settings.OcspResponderValidity, QuarterLeft, "ocsp-responder.renewed");
        var tsa = new Service(AuthorityRole.TimeStamping, CaInitializer.TsaSlug, _settings.TsaAlgorithm, ServiceCertificates.TsaName,
            CertificateProfile.Tsa, at => at.AddYears(_settings.TsaValidityYears), QuarterLeft, "tsa.renewed");
        foreach (LoadedAuthority issuer in all.Where(a => a.Record.Role == AuthorityRole.IssuingCa && a.HasKey))
        {
            if (await _crls.IsServingAsync(issuer, cancellationToken)
                && await RenewIfDueAsync(ocsp, issuer, AuthorityRing.ActiveResponderFor(all, issuer), now, actor, false, cancellationToken))
            {
                renewed++;
            }
        }
        // One TSA answers for the CA, certified by the issuing CA that issues now.
        if (all.LastOrDefault(a => a.Record.Role == AuthorityRole.IssuingCa && a.Record.Active) is { HasKey: true } current
            && await RenewIfDueAsync(tsa, current, all.LastOrDefault(a => a.Record.Role == AuthorityRole.TimeStamping && a.Record.Active), now, actor, false, cancellationToken))
        {
            renewed++;
        }
        if (renewed > 0)
        {
            _ring.Reset();
        }
        return renewed;
    }

    private async Task<bool> RenewIfDueAsync(Service service, LoadedAuthority issuer, LoadedAuthority? current, DateTimeOffset now, Actor actor, bool force,
        CancellationToken cancellationToken)
    {
        DateTimeOffset notAfter = ServiceCertificates.Earlier(service.End(now), issuer.Record.NotAfter);
        if (notAfter <= now)
        {
            return false; // the CA above has ended: there is nothing left to certify under it
        }
        // Forced, a new key that ends when the current one does is still worth having; due, it would change nothing.
        if (current is not null && (force ? notAfter < current.Record.NotAfter : now < service.DueAt(current) || notAfter <= current.Record.NotAfter))
        {
            return false;
        }
        string slug = $"{service.Slug}-{now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
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
            _ring.Reset(); // what this node read is out of date: read again before anything else is renewed
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
            _ring.Reset();
            return false; // another node renewed in the same second
        }
    }
}
