using System.Security.Cryptography.X509Certificates;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;

namespace Segel.Core.Ca;

/// <summary>Making Segel's own certificates (CAs, OCSP responder, TSA) and the records that hold them, for initialisation and renewal alike.</summary>
internal static class ServiceCertificates
{
    public const string OcspResponderName = "Segel OCSP Responder";
    public const string TsaName = "Segel Time-Stamping Authority";

    /// <summary>A service certificate just made: what it is for, its slug, certificate, key and profile.</summary>
    public sealed record Service(AuthorityRole Role, string Slug, X509Certificate2 Certificate, StoredKey Key, CertificateProfile Profile);

    /// <summary>The OCSP responder's and the TSA's first certificates under a newly made issuing CA (never past its end).</summary>
    public static IReadOnlyList<Service> FirstServices(IKeyStore keyStore, CertificateSigner issuing, CaSettings settings, DateTimeOffset now, DateTimeOffset issuingEnd)
    {
        (X509Certificate2 ocsp, StoredKey ocspKey) = Issue(keyStore, issuing, Authorities.OcspSlug, settings.OcspAlgorithm, settings.Subject(OcspResponderName),
            CertificateProfile.Ocsp, now, Earlier(now + settings.OcspResponderValidity, issuingEnd));
        (X509Certificate2 tsa, StoredKey tsaKey) = Issue(keyStore, issuing, Authorities.TsaSlug, settings.TsaAlgorithm, settings.Subject(TsaName),
            CertificateProfile.Tsa, now, Earlier(now.AddYears(settings.TsaValidityYears), issuingEnd));
        return [new(AuthorityRole.OcspResponder, Authorities.OcspSlug, ocsp, ocspKey, CertificateProfile.Ocsp), new(AuthorityRole.TimeStamping, Authorities.TsaSlug, tsa, tsaKey, CertificateProfile.Tsa)];
    }

    /// <summary>Generates a key named <paramref name="slug"/> and has <paramref name="signer"/> certify it.</summary>
    public static (X509Certificate2 Certificate, StoredKey Key) Issue(IKeyStore keyStore, CertificateSigner signer, string slug, KeyAlgorithm algorithm,
        SubjectInfo subject, CertificateProfile profile, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        StoredKey key = keyStore.Generate(slug, algorithm);
        using ISigningKey opened = keyStore.Open(key);
        X509Certificate2 certificate = signer.Sign(new CertificateTemplate(subject.ToDistinguishedName(), opened.PublicKey, profile,
            notBefore, notAfter, SerialNumber.New()));
        return (certificate, key);
    }

    public static AuthorityRecord Authority(string slug, AuthorityRole role, X509Certificate2 certificate, StoredKey key, DateTimeOffset now, int? parentId = null) => new()
    {
        Slug = slug,
        Role = role,
        ParentId = parentId,
        CertificateDer = certificate.RawData,
        KeyUri = key.Uri,
        KeyAlgorithm = key.Algorithm.ToConfigName(),
        SealedKey = key.SealedPrivateKey,
        NotBefore = certificate.NotBefore.ToUniversalTime(),
        NotAfter = certificate.NotAfter.ToUniversalTime(),
        CreatedAt = now,
    };

    /// <summary>The record of an issued certificate, for listing, status and revocation.</summary>
    public static CertificateRecord Issued(X509Certificate2 certificate, CertificateProfile profile, DateTimeOffset now) => new()
    {
        SerialHex = SerialNumber.Normalise(certificate.SerialNumberBytes.Span),
        Profile = profile.ToName(),
        SubjectDn = certificate.Subject,
        CommonName = certificate.GetNameInfo(X509NameType.SimpleName, false),
        Email = CertificateSigner.ReadEmails(certificate.Extensions[Oids.SubjectAltName]) is { Count: > 0 } emails ? emails[0] : null,
        NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
        IssuedAt = now,
        Der = certificate.RawData,
    };

    public static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
