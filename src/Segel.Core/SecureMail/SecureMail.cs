using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using MimeKit.Cryptography;
using Segel.Pki.Cms;
using Segel.Pki.Validation;

namespace Segel.Core.SecureMail;

/// <summary>What verifying a signed message found: the signer, and the path validator's verdict and findings.</summary>
public sealed record MailSignature(string Signer, bool SignatureIntact, ChainVerdict Chain, IReadOnlyList<Finding> Findings)
{
    public bool Valid => SignatureIntact && Chain == ChainVerdict.Trusted;
}

/// <summary>
/// S/MIME for holders (Pasal 12's "e-mail security"), with MimeKit over BouncyCastle: clear-signed messages
/// (multipart/signed, SHA-256) that any client can read, and enveloped messages (AES-256-CBC, RSA-OAEP-SHA256).
/// Signatures are checked by MimeKit, the signer's chain and revocation by Segel's own path validator, so a
/// mail signature is held to the same rules as a PDF one.
/// </summary>
public static class SecureMail
{
    public static MimeMessage Sign(MimeMessage message, X509Certificate2 signer, IEnumerable<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signer);
        using var context = new TemporarySecureMimeContext();
        var certificates = new List<Org.BouncyCastle.X509.X509Certificate> { new(signer.RawData) };
        certificates.AddRange(chain.Select(c => new Org.BouncyCastle.X509.X509Certificate(c.RawData)));
        var cmsSigner = new CmsSigner(certificates, PrivateKey(signer)) { DigestAlgorithm = DigestAlgorithm.Sha256 };
        message.Body = MultipartSigned.Create(context, cmsSigner, message.Body ?? throw new ArgumentException("The message has no body.", nameof(message)));
        return message;
    }

    /// <summary>
    /// Encrypts the body to each recipient (S/MIME application/pkcs7-mime enveloped-data): AES-256-CBC, RSA-OAEP-SHA256
    /// for RSA keys and ECDH for EC keys — the same envelope as <see cref="DocumentEncryption"/> writes for files, so
    /// mail to EC keys opens in openssl too (BouncyCastle's own ECDH recipients, which MimeKit uses, do not).
    /// </summary>
    public static MimeMessage Encrypt(MimeMessage message, IEnumerable<X509Certificate2> recipients)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        MimeEntity body = message.Body ?? throw new ArgumentException("The message has no body.", nameof(message));
        using var content = new MemoryStream();
        FormatOptions options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        body.WriteTo(options, content);
        byte[] envelope = DocumentEncryption.Encrypt(content.ToArray(), [.. recipients]);
        message.Body = new ApplicationPkcs7Mime(SecureMimeType.EnvelopedData, new MemoryStream(envelope));
        return message;
    }

    /// <summary>Verifies every signature on a message at <paramref name="at"/> against the trust anchors.</summary>
    public static async Task<IReadOnlyList<MailSignature>> VerifyAsync(MimeMessage message, IReadOnlyCollection<X509Certificate2> anchors, RevocationEvidence evidence,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var context = new TemporarySecureMimeContext();
        DigitalSignatureCollection signatures = message.Body switch
        {
            MultipartSigned signed => await signed.VerifyAsync(context, cancellationToken),
            ApplicationPkcs7Mime { SecureMimeType: SecureMimeType.SignedData } opaque => opaque.Verify(context, out _, cancellationToken),
            _ => throw new ArgumentException("The message is not signed (neither multipart/signed nor S/MIME signed-data).", nameof(message)),
        };
        var results = new List<MailSignature>();
        foreach (IDigitalSignature signature in signatures)
        {
            var findings = new List<Finding>();
            bool intact;
            try
            {
                intact = ((SecureMimeDigitalSignature)signature).Verify(verifySignatureOnly: true);
            }
            catch (DigitalSignatureVerifyException)
            {
                intact = false;
            }
            findings.Add(new(intact ? FindingCode.SignatureIntact : FindingCode.SignatureOrDigestMismatch));
            if ((signature.SignerCertificate as SecureMimeDigitalCertificate)?.Certificate is not { } bc)
            {
                findings.Add(new(FindingCode.SignerCertificateMissing));
                results.Add(new MailSignature("?", intact, ChainVerdict.Indeterminate, findings));
                continue;
            }
            using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(bc.GetEncoded());
            PathResult path = await PathValidator.CheckAsync(new PathCheck(leaf, anchors, at, evidence) { Extra = CarriedCertificates(message) }, cancellationToken);
            findings.AddRange(path.Findings);
            results.Add(new MailSignature(leaf.Subject, intact, path.Verdict, findings));
        }
        return results;
    }

    /// <summary>The certificates the message's CMS signature carries (the signer's chain).</summary>
    private static List<X509Certificate2> CarriedCertificates(MimeMessage message)
    {
        MimePart? part = message.Body switch
        {
            MultipartSigned signed when signed.Count > 1 => signed[1] as MimePart,
            ApplicationPkcs7Mime opaque => opaque,
            _ => null,
        };
        if (part?.Content is null)
        {
            return [];
        }
        using var buffer = new MemoryStream();
        part.Content.DecodeTo(buffer);
        var cms = new Org.BouncyCastle.Cms.CmsSignedData(buffer.ToArray());
        return [.. cms.GetCertificates().EnumerateMatches(null).Select(c => X509CertificateLoader.LoadCertificate(c.GetEncoded()))];
    }

    /// <summary>Decrypts an S/MIME enveloped-data body with the recipient's certificate and private key (RSA, either padding, or EC).</summary>
    public static MimeMessage Decrypt(MimeMessage message, X509Certificate2 recipient)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipient);
        if (message.Body is not ApplicationPkcs7Mime { SecureMimeType: SecureMimeType.EnvelopedData } enveloped || enveloped.Content is null)
        {
            throw new ArgumentException("The message is not S/MIME encrypted (application/pkcs7-mime enveloped-data).", nameof(message));
        }
        using var envelope = new MemoryStream();
        enveloped.Content.DecodeTo(envelope);
        using AsymmetricAlgorithm key = Pki.Keys.CertificateKeys.PrivateKeyOf(recipient)
            ?? throw new ArgumentException("The certificate has no RSA or EC private key.", nameof(recipient));
        byte[] content = DocumentEncryption.Decrypt(envelope.ToArray(), recipient, key);
        try
        {
            message.Body = MimeEntity.Load(new MemoryStream(content));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
        return message;
    }

    private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter PrivateKey(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The certificate has no RSA or ECDSA private key.", nameof(certificate));
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            return Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
