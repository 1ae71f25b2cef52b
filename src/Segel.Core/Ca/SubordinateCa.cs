using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Pki.Validation;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>
/// Segel's issuing CA under an outside root — the national CA's, as the regulation has it (issue 21.1). <c>segel init
/// --external-root</c> makes only the issuing CA's key and a PKCS#10 request; the outside CA signs it; <c>segel ca
/// install</c> checks what comes back (the key is ours, it is a CA fit to issue for two years, its path reaches the
/// given root) and makes it the issuing CA, with the OCSP responder and TSA certified by it. From then on every
/// certificate, CRL, OCSP answer and time-stamp chains to that root. The root and any CA between it and ours are kept
/// as certificates without keys: published, trusted, never used to sign (their CRLs are their own).
/// </summary>
public sealed class SubordinateCa
{
    private readonly SegelDatabase _database;
    private readonly IKeyStore _keyStore;
    private readonly CaSettings _settings;
    private readonly AuthorityRing _ring;
    private readonly CrlPublisher _crls;
    private readonly TimeProvider _time;

    internal SubordinateCa(SegelDatabase database, IKeyStore keyStore, CaSettings settings, AuthorityRing ring, CrlPublisher crls, TimeProvider time)
    {
        _database = database;
        _keyStore = keyStore;
        _settings = settings;
        _ring = ring;
        _crls = crls;
        _time = time;
    }

    /// <summary>Makes the issuing CA's key and its request; a Conflict when the database holds a CA already.</summary>
    internal async Task PrepareAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        if (await db.Authorities.AnyAsync(cancellationToken))
        {
            throw SegelException.Conflict(Localized.Of("Error.CaAlreadyExistsDatabaseSegel"));
        }
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        StoredKey key = _keyStore.Generate(Authorities.IssuingSlug, _settings.IssuingAlgorithm);
        byte[] request;
        using (ISigningKey opened = _keyStore.Open(key))
        {
            request = Request(opened);
        }
        db.Authorities.Add(new AuthorityRecord
        {
            Slug = Authorities.IssuingSlug,
            Role = AuthorityRole.PendingIssuingCa,
            CertificateDer = request,
            KeyUri = key.Uri,
            KeyAlgorithm = key.Algorithm.ToConfigName(),
            SealedKey = key.SealedPrivateKey,
            NotBefore = now,
            NotAfter = now,
            Active = false,
            CreatedAt = now,
        });
        AuditLog.Record(db, _time, actor, "ca.request-created", Authorities.IssuingSlug, new
        {
            subject = _settings.Subject(_settings.IssuingName).ToDistinguishedName().Name,
            algorithm = _settings.IssuingAlgorithm.ToConfigName(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            throw SegelException.Conflict(Localized.Of("Error.AnotherSegelNodeInitialisedCa"));
        }
    }

    /// <summary>Whether an issuing CA waits for its certificate from the outside root.</summary>
    public async Task<bool> IsWaitingAsync(CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        return await db.Authorities.AnyAsync(a => a.Role == AuthorityRole.PendingIssuingCa, cancellationToken);
    }

    /// <summary>The issuing CA's request (DER), for the outside CA to sign.</summary>
    public async Task<byte[]> RequestAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "read-the-issuing-cas-certificate-request");
        await using SegelDbContext db = _database.CreateContext();
        AuthorityRecord pending = await PendingAsync(db, cancellationToken);
        return pending.CertificateDer;
    }

    /// <summary>
    /// Installs the certificate the outside CA issued for the pending key, with the chain up to its root (PEM order free).
    /// Returns the new issuing CA.
    /// </summary>
    public async Task<LoadedAuthority> InstallAsync(Principal by, X509Certificate2 issuing, IReadOnlyList<X509Certificate2> chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(issuing);
        ArgumentNullException.ThrowIfNull(chain);
        by.Require(Role.Admin, "install-the-issuing-cas-certificate");
        await using SegelDbContext db = _database.CreateContext();
        AuthorityRecord pending = await PendingAsync(db, cancellationToken);
        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        using ISigningKey key = _keyStore.Open(new StoredKey(pending.KeyUri, KeyAlgorithms.Parse(pending.KeyAlgorithm), pending.SealedKey));
        if (!issuing.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.PublicKey.ExportSubjectPublicKeyInfo()))
        {
            throw SegelException.Invalid("cert", Localized.Of("Error.CertificateAnotherKeyIssuingCa"));
        }
        if (Conformance.Problem(issuing, mustBeCa: true) is { } problem)
        {
            throw SegelException.Invalid("cert", Localized.Of("Error.CertificateNotFitIssuingCa", problem));
        }
        if (issuing.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } usage
            || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign) || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            throw SegelException.Invalid("cert", Localized.Of("Error.CertificateKeyUsageAllowSigning"));
        }
        if (issuing.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { HasPathLengthConstraint: true, PathLengthConstraint: < 0 })
        {
            throw SegelException.Invalid("cert", Localized.Of("Error.CertificatePathLengthConstraintNegative"));
        }
        DateTimeOffset notAfter = issuing.NotAfter.ToUniversalTime();
        if (issuing.NotBefore.ToUniversalTime() > now || notAfter <= now.AddYears(CaSettings.HolderValidityYears))
        {
            throw SegelException.Invalid("cert", Localized.Of("Error.CertificateValidNowMoreHolders", CaSettings.HolderValidityYears, issuing.NotBefore.ToUniversalTime(), notAfter));
        }
        List<X509Certificate2> path = Path(issuing, chain, now);
        X509Certificate2 root = path[^1];

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // The outside CAs, root first, each the parent of the next; then the issuing CA under the last of them.
        int? parent = null;
        for (int i = path.Count - 1; i >= 1; i--)
        {
            AuthorityRecord outside = OutsideKey.Record(i == path.Count - 1 ? Authorities.RootSlug : $"outside-ca-{path.Count - 1 - i}",
                i == path.Count - 1 ? AuthorityRole.RootCa : AuthorityRole.OutsideCa, parent, path[i], now);
            db.Authorities.Add(outside);
            await db.SaveChangesAsync(cancellationToken);
            parent = outside.Id;
        }
        // The pending record becomes the issuing CA only if it is still pending: two installs at once make one CA.
        if (await db.Authorities.Where(a => a.Id == pending.Id && a.Role == AuthorityRole.PendingIssuingCa)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.Role, AuthorityRole.IssuingCa)
                    .SetProperty(a => a.Active, true)
                    .SetProperty(a => a.ParentId, parent)
                    .SetProperty(a => a.CertificateDer, issuing.RawData)
                    .SetProperty(a => a.NotBefore, issuing.NotBefore.ToUniversalTime())
                    .SetProperty(a => a.NotAfter, notAfter), cancellationToken) == 0)
        {
            throw SegelException.Conflict(Localized.Of("Error.IssuingCaCertificateInstalledSomeone"));
        }
        CertificateRecord issuedRecord = ServiceCertificates.Issued(issuing, CertificateProfile.IssuingCa, now);
        issuedRecord.IssuerId = parent!.Value;
        db.Certificates.Add(issuedRecord);
        TransparencyLeaves.RecordIssued(db, issuedRecord, now);

        var signer = new CertificateSigner(issuing, Authorities.IssuingSlug, key, _settings.Policy);
        foreach (ServiceCertificates.Service service in ServiceCertificates.FirstServices(_keyStore, signer, _settings, now, notAfter))
        {
            db.Authorities.Add(ServiceCertificates.Authority(service.Slug, service.Role, service.Certificate, service.Key, now, pending.Id));
            CertificateRecord issued = ServiceCertificates.Issued(service.Certificate, service.Profile, now);
            issued.IssuerId = pending.Id;
            db.Certificates.Add(issued);
            TransparencyLeaves.RecordIssued(db, issued, now);
        }
        AuditLog.Record(db, _time, by.ToActor(), "ca.installed", Authorities.IssuingSlug, new
        {
            issuing = issuing.Subject,
            serial = issuedRecord.SerialHex,
            notAfter,
            root = root.Subject,
            rootSha256 = Convert.ToHexStringLower(SHA256.HashData(root.RawData)),
            between = path.Skip(1).SkipLast(1).Select(c => c.Subject).ToArray(),
        });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        _ring.Reset();
        LoadedAuthority installed = await _ring.GetActiveAsync(AuthorityRole.IssuingCa, cancellationToken);
        await _crls.PublishAsync(installed, cancellationToken: cancellationToken);
        return installed;
    }

    private static async Task<AuthorityRecord> PendingAsync(SegelDbContext db, CancellationToken cancellationToken) =>
        await db.Authorities.AsNoTracking().SingleOrDefaultAsync(a => a.Role == AuthorityRole.PendingIssuingCa, cancellationToken)
            ?? throw SegelException.Conflict(Localized.Of("Error.NoIssuingCaWaitsCertificate"));

    /// <summary>The issuing CA's request: its name, and the extensions a CA needs (the outside CA decides what it grants).</summary>
    private byte[] Request(ISigningKey key)
    {
        var request = new CertificateRequest(_settings.Subject(_settings.IssuingName).ToDistinguishedName(), key.PublicKey, key.Algorithm.Hash());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(key.PublicKey, false));
        return request.CreateSigningRequest(new KeySignatureGenerator(key));
    }

    /// <summary>
    /// The path from the issuing CA to the one self-signed certificate in <paramref name="chain"/>, checked as RFC 5280 §6
    /// would (signatures, validity now, names, basic constraints, key usage) and to its profile rules; revocation is the
    /// outside CA's to publish and is not asked here.
    /// </summary>
    private static List<X509Certificate2> Path(X509Certificate2 issuing, IReadOnlyList<X509Certificate2> chain, DateTimeOffset now)
    {
        List<X509Certificate2> roots = [.. chain.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))];
        if (roots.Count != 1)
        {
            throw SegelException.Invalid("chain", Localized.Of("Error.ChainHoldExactlyRootSelf", roots.Count));
        }
        using var builder = new X509Chain();
        builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        builder.ChainPolicy.CustomTrustStore.Add(roots[0]);
        builder.ChainPolicy.ExtraStore.AddRange(chain.Where(c => c != roots[0]).ToArray());
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        builder.ChainPolicy.DisableCertificateDownloads = true;
        builder.ChainPolicy.VerificationTime = now.UtcDateTime;
        builder.ChainPolicy.VerificationTimeIgnored = false;
        if (!builder.Build(issuing))
        {
            string why = string.Join("; ", builder.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            throw SegelException.Invalid("chain", Localized.Of("Error.CertificatePathNotReachGiven", why));
        }
        List<X509Certificate2> path = [.. builder.ChainElements.Select(e => e.Certificate)];
        if (Conformance.Problem(path) is { } problem)
        {
            throw SegelException.Invalid("chain", Localized.Of("Error.PathRootBreaksRfc5280", problem));
        }
        return path;
    }
}
