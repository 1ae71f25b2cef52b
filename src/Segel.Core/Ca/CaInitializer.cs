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
/// Creates the hierarchy: root CA → issuing CA → {delegated OCSP responder, TSA}. All of it commits in one
/// transaction, so a crash half-way leaves nothing to clean up; a second node racing to do the same loses
/// on the unique slug and simply uses what the first made.
/// </summary>
internal sealed class CaInitializer
{
    public const string RootSlug = Authorities.RootSlug;
    public const string IssuingSlug = Authorities.IssuingSlug;
    public const string OcspSlug = Authorities.OcspSlug;
    public const string TsaSlug = Authorities.TsaSlug;

    private readonly SegelDatabase _database;
    private readonly IKeyStore _keyStore;
    private readonly CaSettings _settings;
    private readonly AuthorityRing _ring;
    private readonly CrlPublisher _crls;
    private readonly TimeProvider _time;

    public CaInitializer(SegelDatabase database, IKeyStore keyStore, CaSettings settings, AuthorityRing ring, CrlPublisher crls, TimeProvider time)
    {
        _database = database;
        _keyStore = keyStore;
        _settings = settings;
        _ring = ring;
        _crls = crls;
        _time = time;
    }

    /// <summary>Creates the CA. Throws a Conflict <see cref="SegelException"/> when one exists already.</summary>
    public async Task InitializeAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        if (await db.Authorities.AnyAsync(cancellationToken))
        {
            throw SegelException.Conflict(Localized.Of("Error.CaAlreadyExistsDatabaseSegel"));
        }

        DateTimeOffset now = _time.GetUtcNow().ToWholeSeconds();
        var records = new List<(AuthorityRecord Record, CertificateRecord? Issued)>();

        StoredKey rootKey = _keyStore.Generate(RootSlug, _settings.RootAlgorithm);
        using ISigningKey rootSigner = _keyStore.Open(rootKey);
        X509Certificate2 root = CertificateSigner.SelfSignRoot(rootSigner, _settings.Subject(_settings.RootName).ToDistinguishedName(),
            now, now.AddYears(_settings.RootValidityYears), _settings.Policy);
        var rootRecord = ServiceCertificates.Authority(RootSlug, AuthorityRole.RootCa, root, rootKey, now);
        records.Add((rootRecord, null));

        var rootCa = new CertificateSigner(root, RootSlug, rootSigner, _settings.Policy);
        (X509Certificate2 issuing, StoredKey issuingKey) = ServiceCertificates.Issue(_keyStore, rootCa, IssuingSlug, _settings.IssuingAlgorithm,
            _settings.Subject(_settings.IssuingName), CertificateProfile.IssuingCa, now, ServiceCertificates.Earlier(now.AddYears(_settings.IssuingValidityYears), root.NotAfter.ToUniversalTime()));
        var issuingRecord = ServiceCertificates.Authority(IssuingSlug, AuthorityRole.IssuingCa, issuing, issuingKey, now);
        records.Add((issuingRecord, ServiceCertificates.Issued(issuing, CertificateProfile.IssuingCa, now)));

        using ISigningKey issuingSigner = _keyStore.Open(issuingKey);
        var issuingCa = new CertificateSigner(issuing, IssuingSlug, issuingSigner, _settings.Policy);
        foreach (ServiceCertificates.Service service in ServiceCertificates.FirstServices(_keyStore, issuingCa, _settings, now, issuing.NotAfter.ToUniversalTime()))
        {
            records.Add((ServiceCertificates.Authority(service.Slug, service.Role, service.Certificate, service.Key, now), ServiceCertificates.Issued(service.Certificate, service.Profile, now)));
        }

        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Authorities.Add(rootRecord);
            await db.SaveChangesAsync(cancellationToken);
            foreach ((AuthorityRecord record, CertificateRecord? issued) in records.Skip(1))
            {
                record.ParentId = record.Role == AuthorityRole.IssuingCa ? rootRecord.Id : issuingRecord.Id;
                db.Authorities.Add(record);
                await db.SaveChangesAsync(cancellationToken);
                if (issued is not null)
                {
                    issued.IssuerId = record.ParentId.Value;
                    db.Certificates.Add(issued);
                    TransparencyLeaves.RecordIssued(db, issued, now);
                }
            }
            AuditLog.Record(db, _time, actor, "ca.initialized", IssuingSlug, new
            {
                root = root.Subject,
                rootAlgorithm = _settings.RootAlgorithm.ToConfigName(),
                issuing = issuing.Subject,
                issuingAlgorithm = _settings.IssuingAlgorithm.ToConfigName(),
                publicBaseUrl = _settings.Urls.BaseUrl,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
            {
                throw SegelException.Conflict(Localized.Of("Error.AnotherSegelNodeInitialisedCa"));
            }
        }
        _ring.Reset();
        foreach (LoadedAuthority issuer in await _ring.GetIssuersAsync(cancellationToken))
        {
            await _crls.PublishAsync(issuer, cancellationToken: cancellationToken);
        }
    }
}
