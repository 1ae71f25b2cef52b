using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Segel.Pki.Keys;

namespace Segel.Pki.Certificates;

/// <summary>
/// A PKCS#10 request whose self-signature (proof of possession) has been checked. Only its public key and
/// the names in it are used; any extensions it asks for are ignored, because the profile decides those.
/// </summary>
public sealed class SigningRequest
{
    public const int MaxEncodedLength = 64 * 1024;

    private SigningRequest(PublicKey publicKey, KeyAlgorithm algorithm, string? commonName, string? organizationalUnit, string? email)
    {
        PublicKey = publicKey;
        Algorithm = algorithm;
        CommonName = commonName;
        OrganizationalUnit = organizationalUnit;
        Email = email;
    }

    public PublicKey PublicKey { get; }

    public KeyAlgorithm Algorithm { get; }

    public string? CommonName { get; }

    public string? OrganizationalUnit { get; }

    public string? Email { get; }

    /// <summary>Reads a CSR in PEM or DER, checking its signature. Throws <see cref="CertificateIssuanceException"/> with a plain reason.</summary>
    public static SigningRequest Load(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length == 0)
        {
            throw new CertificateIssuanceException("The certificate signing request is empty.");
        }
        if (encoded.Length > MaxEncodedLength)
        {
            throw new CertificateIssuanceException($"The certificate signing request is larger than {MaxEncodedLength / 1024} KiB.");
        }
        CheckSignatureAlgorithm(encoded);
        CertificateRequest request;
        try
        {
            // Requested extensions are loaded only so the e-mail in a subjectAltName can be read; none is
            // ever copied into the certificate. The signature (proof of possession) is always checked.
            const CertificateRequestLoadOptions load = CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions;
            request = LooksLikePem(encoded)
                ? CertificateRequest.LoadSigningRequestPem(Encoding.ASCII.GetString(encoded), HashAlgorithmName.SHA256, load)
                : CertificateRequest.LoadSigningRequest(encoded, HashAlgorithmName.SHA256, out _, load);
        }
        catch (CryptographicException e)
        {
            throw new CertificateIssuanceException(
                "The certificate signing request is not a valid PKCS#10 request, or its signature (proof of possession) does not verify.", e);
        }
        catch (ArgumentException e)
        {
            throw new CertificateIssuanceException("The certificate signing request is not a valid PKCS#10 request.", e);
        }
        catch (NotSupportedException e)
        {
            throw new CertificateIssuanceException("The certificate signing request uses an algorithm Segel does not accept; sign it with SHA-256 and an RSA or ECDSA key.", e);
        }

        KeyAlgorithm algorithm = KeyAlgorithms.Identify(request.PublicKey)
            ?? throw new CertificateIssuanceException("The request's key must be RSA 2048/3072/4096 or ECDSA P-256/P-384.");

        string? cn = null, ou = null, email = null;
        foreach (X500RelativeDistinguishedName rdn in request.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }
            switch (rdn.GetSingleElementType().Value)
            {
                case Oids.CommonName: cn ??= rdn.GetSingleElementValue(); break;
                case Oids.OrganizationalUnit: ou ??= rdn.GetSingleElementValue(); break;
                case Oids.EmailAddressAttribute: email ??= rdn.GetSingleElementValue(); break;
            }
        }
        X509Extension? san = request.CertificateExtensions.Cast<X509Extension>().FirstOrDefault(e => e.Oid?.Value == Oids.SubjectAltName);
        IReadOnlyList<string> sanEmails = CertificateSigner.ReadEmails(san);
        email = sanEmails.Count > 0 ? sanEmails[0] : email;
        return new SigningRequest(request.PublicKey, algorithm, cn, ou, email);
    }

    // Proof of possession signed with a broken or unsupported algorithm proves nothing (MD5, SHA-1), or cannot be checked
    // here (EdDSA): refused by name before .NET is asked to verify it, which for some of these throws rather than answers.
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.2"] = "MD2",
        ["1.2.840.113549.1.1.4"] = "MD5",
        ["1.2.840.113549.1.1.5"] = "SHA-1",
        ["1.2.840.10045.4.1"] = "SHA-1",
        ["1.2.840.10040.4.3"] = "DSA with SHA-1",
        ["1.3.14.3.2.29"] = "SHA-1",
        ["1.3.101.112"] = "Ed25519",
        ["1.3.101.113"] = "Ed448",
    };

    private static readonly HashSet<string> Accepted = new(StringComparer.Ordinal)
    {
        "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", // sha256/384/512WithRSAEncryption
        "1.2.840.113549.1.1.10", // RSASSA-PSS
        "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4", // ecdsa-with-SHA256/384/512
    };

    private static void CheckSignatureAlgorithm(ReadOnlySpan<byte> encoded)
    {
        string? oid;
        try
        {
            byte[] der = LooksLikePem(encoded) ? PemDer(encoded) : encoded.ToArray();
            AsnReader request = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            request.ReadSequence(); // certificationRequestInfo
            oid = request.ReadSequence().ReadObjectIdentifier();
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException or FormatException)
        {
            throw new CertificateIssuanceException("The certificate signing request is not a valid PKCS#10 request.", e);
        }
        if (Refused.TryGetValue(oid, out string? name))
        {
            throw new CertificateIssuanceException($"The certificate signing request is signed with {name}, which Segel does not accept; sign it with SHA-256 and an RSA or ECDSA key.");
        }
        if (!Accepted.Contains(oid))
        {
            throw new CertificateIssuanceException($"The certificate signing request is signed with algorithm {oid}, which Segel does not accept; sign it with SHA-256 and an RSA or ECDSA key.");
        }
    }

    private static byte[] PemDer(ReadOnlySpan<byte> encoded)
    {
        string text = Encoding.ASCII.GetString(encoded);
        PemFields fields = PemEncoding.Find(text);
        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> encoded)
    {
        ReadOnlySpan<byte> marker = "-----BEGIN"u8;
        return encoded.IndexOf(marker) >= 0;
    }
}
