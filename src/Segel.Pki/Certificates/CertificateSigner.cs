using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;

namespace Segel.Pki.Certificates;

/// <summary>
/// Signs certificates for one CA. It refuses, rather than shortens, a validity that would outlive the CA:
/// a holder promised two years (Pasal 18) must not silently get less.
/// </summary>
public sealed class CertificateSigner
{
    private readonly X509Certificate2? _issuer;
    private readonly string? _issuerSlug;
    private readonly ISigningKey _key;
    private readonly IssuancePolicy _policy;

    /// <summary>A signer for certificates issued by <paramref name="issuer"/>, reachable under <paramref name="issuerSlug"/>.</summary>
    public CertificateSigner(X509Certificate2 issuer, string issuerSlug, ISigningKey key, IssuancePolicy policy)
    {
        _issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        _issuerSlug = issuerSlug;
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
    }

    private CertificateSigner(ISigningKey key, IssuancePolicy policy)
    {
        _key = key;
        _policy = policy;
    }

    /// <summary>Makes a self-signed root CA certificate with <paramref name="key"/>.</summary>
    public static X509Certificate2 SelfSignRoot(ISigningKey key, X500DistinguishedName subject,
        DateTimeOffset notBefore, DateTimeOffset notAfter, IssuancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(key);
        var template = new CertificateTemplate(subject, key.PublicKey, CertificateProfile.RootCa, notBefore, notAfter, SerialNumber.New());
        return new CertificateSigner(key, policy).Sign(template);
    }

    public X509Certificate2 Sign(CertificateTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.NotAfter <= template.NotBefore)
        {
            throw new CertificateIssuanceException("The certificate's validity ends before it begins.");
        }
        if (_issuer is not null)
        {
            if (template.NotAfter > _issuer.NotAfter.ToUniversalTime())
            {
                throw new CertificateIssuanceException(
                    $"The certificate would be valid until {template.NotAfter:u}, past the issuing CA's own expiry " +
                    $"({_issuer.NotAfter.ToUniversalTime():u}). Roll the issuing CA over before issuing.");
            }
            if (template.NotBefore < _issuer.NotBefore.ToUniversalTime())
            {
                throw new CertificateIssuanceException("The certificate would begin before the issuing CA's own validity.");
            }
        }
        KeyAlgorithm subjectAlgorithm = KeyAlgorithms.Identify(template.PublicKey)
            ?? throw new CertificateIssuanceException("The subject key must be RSA 2048/3072/4096 or ECDSA P-256/P-384.");

        var request = new CertificateRequest(template.Subject, template.PublicKey, _key.Algorithm.Hash());
        foreach (X509Extension extension in ProfileExtensions.For(template.Profile, subjectAlgorithm, template.SigningOnly))
        {
            request.CertificateExtensions.Add(extension);
        }
        var ski = new X509SubjectKeyIdentifierExtension(template.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.Sha1, critical: false);
        request.CertificateExtensions.Add(ski);
        if (_issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_issuer, true, false));
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([_policy.Urls.Crl(_issuerSlug!)]));
            string[] ocsp = template.Profile == CertificateProfile.IssuingCa ? [] : [_policy.Urls.Ocsp];
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(ocsp, [_policy.Urls.CaCertificate(_issuerSlug!)]));
            request.CertificateExtensions.Add(CertificatePoliciesExtension.Create(_policy.PolicyOid, _policy.Urls.Cps));
        }
        else
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        }
        if (!string.IsNullOrEmpty(template.Email) || template.DnsNames is { Count: > 0 })
        {
            var san = new SubjectAlternativeNameBuilder();
            if (!string.IsNullOrEmpty(template.Email))
            {
                san.AddEmailAddress(template.Email);
            }
            foreach (string dnsName in template.DnsNames ?? [])
            {
                san.AddDnsName(dnsName);
            }
            request.CertificateExtensions.Add(san.Build(critical: false));
        }

        X500DistinguishedName issuerName = _issuer?.SubjectName ?? template.Subject;
        try
        {
            return request.Create(issuerName, _key.CreateSignatureGenerator(), template.NotBefore, template.NotAfter, template.Serial);
        }
        catch (CryptographicException e)
        {
            throw new CertificateIssuanceException($"The CA key {_key.Uri} could not sign: {e.Message}", e);
        }
    }

    /// <summary>Reads the e-mail addresses of a subjectAltName extension (.NET enumerates only DNS names and IPs).</summary>
    public static IReadOnlyList<string> ReadEmails(X509Extension? subjectAltName)
    {
        var emails = new List<string>();
        if (subjectAltName is null)
        {
            return emails;
        }
        AsnReader names = new AsnReader(subjectAltName.RawData, AsnEncodingRules.DER).ReadSequence();
        var rfc822 = new Asn1Tag(TagClass.ContextSpecific, 1);
        while (names.HasData)
        {
            if (names.PeekTag().HasSameClassAndValue(rfc822))
            {
                emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, rfc822));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }
        return emails;
    }
}
