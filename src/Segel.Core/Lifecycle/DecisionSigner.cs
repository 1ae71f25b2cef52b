using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>
/// Makes an RA officer's decision non-repudiable (Pasal 16(4)): only an officer who holds a valid certificate
/// of their own, with its key in Segel's custody, may decide, and the decision statement is signed (CMS
/// SignedData, the statement encapsulated) with that key, unlocked by the officer's passphrase.
/// </summary>
internal sealed class DecisionSigner
{
    private readonly HolderKeyVault _vault;
    private readonly AuthorityRing _ring;
    private readonly TimeProvider _time;

    public DecisionSigner(HolderKeyVault vault, AuthorityRing ring, TimeProvider time)
    {
        _vault = vault;
        _ring = ring;
        _time = time;
    }

    /// <summary>
    /// Finds the officer's valid certificate and opens its key with the passphrase. Done before the decision's
    /// transaction, because a wrong passphrase is counted (and committed) on its own.
    /// </summary>
    public async Task<OfficerKey> UnlockAsync(SegelDatabase database, Principal officer, string? passphrase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(officer);
        officer.Require(Role.RaOfficer, "decide-on-applications-and-revocations");
        if (officer.EmployeeId is not long employeeId)
        {
            throw SegelException.Refused(Localized.Of("Error.RaOfficerNotLinkedEmployee", officer.Name));
        }
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = database.CreateContext();
        var own = await (from key in db.HolderKeys.AsNoTracking()
                         join cert in db.Certificates.AsNoTracking() on key.CertificateId equals cert.Id
                         where key.EmployeeId == employeeId && cert.RevokedAt == null && cert.NotBefore <= now && cert.NotAfter > now
                         orderby cert.NotAfter descending
                         select new { key, cert }).FirstOrDefaultAsync(cancellationToken)
            ?? throw SegelException.Refused(Localized.Of("Error.RaOfficerHoldsNoValid", officer.Name));
        if (string.IsNullOrEmpty(passphrase))
        {
            throw SegelException.Invalid("passphrase", Localized.Of("Error.YourPassphraseNeededSignDecision"));
        }
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(own.cert.Der);
        X509Certificate2 withKey = await _vault.UnlockAsync(own.key, certificate, passphrase, officer.ToActor(), cancellationToken);
        LoadedAuthority issuer = await _ring.FindByIdAsync(own.cert.IssuerId, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.OfficerCertificateIssuerNotKnown"));
        return new OfficerKey(officer, withKey, own.cert.Id, own.cert.SerialHex, issuer.Certificate);
    }

    /// <summary>Signs <paramref name="statement"/>; the caller stores the record in the same transaction as the decision.</summary>
    public DecisionRecord Sign(OfficerKey key, string subjectType, long subjectId, string decision, object statement)
    {
        ArgumentNullException.ThrowIfNull(key);
        DateTimeOffset now = _time.GetUtcNow();
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "segel-ra-decision/v1",
            subject = subjectType,
            id = subjectId,
            decision,
            officer = key.Officer.Name,
            officerCertificate = key.Serial,
            at = now,
            statement,
        });
        var cms = new SignedCms(new ContentInfo(payload), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, key.Certificate)
        {
            IncludeOption = X509IncludeOption.EndCertOnly,
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
        };
        signer.Certificates.Add(key.Issuer);
        signer.SignedAttributes.Add(new Pkcs9SigningTime(now.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return new DecisionRecord
        {
            SubjectType = subjectType,
            SubjectId = subjectId,
            Decision = decision,
            Officer = key.Officer.Name,
            OfficerCertificateId = key.CertificateId,
            Payload = payload,
            Cms = cms.Encode(),
            At = now,
        };
    }
}

/// <summary>An RA officer's certificate with its private key, open for the length of one decision.</summary>
internal sealed class OfficerKey(Principal officer, X509Certificate2 certificate, long certificateId, string serial, X509Certificate2 issuer) : IDisposable
{
    public Principal Officer { get; } = officer;

    public X509Certificate2 Certificate { get; } = certificate;

    public long CertificateId { get; } = certificateId;

    public string Serial { get; } = serial;

    public X509Certificate2 Issuer { get; } = issuer;

    public void Dispose() => Certificate.Dispose();
}
