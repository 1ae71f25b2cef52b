using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;

namespace Segel.Pki.Certificates;

/// <summary>
/// The extensions each profile puts in a certificate. Key usages and EKUs are chosen for what relying
/// software checks: Adobe Reader and poppler for PDF signatures, Thunderbird/Outlook for S/MIME,
/// RFC 6960 for the responder, RFC 3161 for the TSA and
/// RFC 5280 §4.2.1.12 for TLS servers (docs/certificate-profiles.md).
/// </summary>
public static class ProfileExtensions
{
    public static IEnumerable<X509Extension> For(CertificateProfile profile, KeyAlgorithm subjectKey, bool signingOnly = false)
    {
        switch (profile)
        {
            case CertificateProfile.RootCa:
                yield return new X509BasicConstraintsExtension(true, true, 1, critical: true);
                yield return new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true);
                break;
            case CertificateProfile.IssuingCa:
                yield return new X509BasicConstraintsExtension(true, true, 0, critical: true);
                yield return new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true);
                break;
            case CertificateProfile.Subscriber:
            case CertificateProfile.RaOfficer:
                yield return new X509BasicConstraintsExtension(false, false, 0, critical: true);
                // One certificate serves all three uses Pasal 12 names: signing (digitalSignature and
                // nonRepudiation), and encryption (key transport for RSA, key agreement for ECDH) — unless a separate
                // encryption certificate carries the encryption, whose key may be escrowed (issue 23.5).
                X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation |
                    (signingOnly ? X509KeyUsageFlags.None : EncipheringUsage(subjectKey));
                yield return new X509KeyUsageExtension(usage, critical: true);
                var ekus = new OidCollection
                {
                    new Oid(Oids.EmailProtection),
                    new Oid(Oids.DocumentSigning),
                    new Oid(Oids.MicrosoftDocumentSigning),
                };
                if (profile == CertificateProfile.RaOfficer)
                {
                    ekus.Add(new Oid(Oids.ClientAuth));
                }
                yield return new X509EnhancedKeyUsageExtension(ekus, critical: false);
                break;
            case CertificateProfile.Encryption:
                yield return new X509BasicConstraintsExtension(false, false, 0, critical: true);
                yield return new X509KeyUsageExtension(EncipheringUsage(subjectKey), critical: true);
                yield return new X509EnhancedKeyUsageExtension([new Oid(Oids.EmailProtection)], critical: false);
                break;
            case CertificateProfile.Seal:
                yield return new X509BasicConstraintsExtension(false, false, 0, critical: true);
                // A seal stands behind what the institution issues (nonRepudiation) and encrypts nothing.
                yield return new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true);
                // emailProtection too: poppler's NSS checks a PDF signer for it (as for people's certificates), Acrobat accepts it.
                yield return new X509EnhancedKeyUsageExtension(
                    [new Oid(Oids.EmailProtection), new Oid(Oids.DocumentSigning), new Oid(Oids.MicrosoftDocumentSigning)], critical: false);
                break;
            case CertificateProfile.Ocsp:
                yield return new X509BasicConstraintsExtension(false, false, 0, critical: true);
                yield return new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true);
                yield return new X509EnhancedKeyUsageExtension([new Oid(Oids.OcspSigning)], critical: false);
                // id-pkix-ocsp-nocheck: clients trust the responder for its lifetime, so keep that short.
                yield return new X509Extension(Oids.OcspNoCheck, [0x05, 0x00], critical: false);
                break;
            case CertificateProfile.Tsa:
                yield return new X509BasicConstraintsExtension(false, false, 0, critical: true);
                yield return new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true);
                // RFC 3161 §2.3: the only EKU, and critical.
                yield return new X509EnhancedKeyUsageExtension([new Oid(Oids.TimeStamping)], critical: true);
                break;
            case CertificateProfile.TlsServer:
                yield return new X509BasicConstraintsExtension(false, false, 0, critical: true);
                // RSA keys also for TLS 1.2's RSA key exchange; ECDSA keys only sign (RFC 5480 §3).
                yield return new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature |
                    (subjectKey.IsRsa() ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.None), critical: true);
                yield return new X509EnhancedKeyUsageExtension([new Oid(Oids.ServerAuth)], critical: false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(profile));
        }
    }

    /// <summary>Key transport for RSA (RFC 8551 §2.2 with RSA-OAEP), key agreement for ECDH (RFC 5753).</summary>
    private static X509KeyUsageFlags EncipheringUsage(KeyAlgorithm subjectKey) =>
        subjectKey.IsRsa() ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement;
}
