using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Segel.Pki.Cms;

/// <summary>A document that cannot be decrypted: not CMS, not for this key, or damaged.</summary>
public sealed class DocumentEncryptionException : Exception
{
    public DocumentEncryptionException()
    {
    }

    public DocumentEncryptionException(string message)
        : base(message)
    {
    }

    public DocumentEncryptionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Documents encrypted to holders' certificates (Pasal 12's "document security"): CMS EnvelopedData (RFC 5652)
/// with AES-256-CBC content encryption and, per recipient, RSA-OAEP with SHA-256 (RFC 8017) — what openssl cms
/// writes and reads. Decryption also takes PKCS#1 v1.5 recipients, as older clients write them.
/// </summary>
public static class DocumentEncryption
{
    private const string RsaOaepSha256 = "RSA/NONE/OAEPWITHSHA256ANDMGF1PADDING";

    public static byte[] Encrypt(ReadOnlySpan<byte> content, IReadOnlyCollection<X509Certificate2> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient certificate is needed.", nameof(recipients));
        }
        var generator = new CmsEnvelopedDataGenerator();
        foreach (X509Certificate2 recipient in recipients)
        {
            if (recipient.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage &&
                (usage.KeyUsages & (X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement)) == 0)
            {
                throw new ArgumentException($"The certificate of {recipient.GetNameInfo(X509NameType.SimpleName, false)} does not allow encryption to it.", nameof(recipients));
            }
            var certificate = new BcCertificate(recipient.RawData);
            if (recipient.GetRSAPublicKey() is { } rsa)
            {
                rsa.Dispose();
                generator.AddRecipientInfoGenerator(new KeyTransRecipientInfoGenerator(certificate, new Asn1KeyWrapper(RsaOaepSha256, certificate)));
            }
            else
            {
                // ECDH recipients wait for a key-agreement recipient openssl agrees with: BouncyCastle C# derives the
                // key-encryption key from a SharedInfo that differs from openssl's (bc-csharp issue #697).
                throw new ArgumentException($"The key of {recipient.GetNameInfo(X509NameType.SimpleName, false)} is not RSA; encryption to EC keys is not supported yet.", nameof(recipients));
            }
        }
        return generator.Generate(new CmsProcessableByteArray(content.ToArray()), Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdAes256Cbc).GetEncoded();
    }

    /// <summary>Decrypts with the recipient's certificate and private key (a holder's unlocked key, or a PKCS#12's).</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> envelope, X509Certificate2 recipient, AsymmetricAlgorithm privateKey)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(privateKey);
        CmsEnvelopedData data;
        try
        {
            data = new CmsEnvelopedData(envelope.ToArray());
        }
#pragma warning disable CA1031 // untrusted bytes: whatever the parser throws means "not an encrypted document"
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            throw new DocumentEncryptionException("This is not a CMS encrypted document (EnvelopedData).", e);
        }
        var certificate = new BcCertificate(recipient.RawData);
        var id = new RecipientID { Issuer = certificate.IssuerDN, SerialNumber = certificate.SerialNumber };
        RecipientInformation? mine = data.GetRecipientInfos().GetFirstRecipient(id);
        if (mine is null)
        {
            throw new DocumentEncryptionException($"The document is not encrypted to {recipient.GetNameInfo(X509NameType.SimpleName, false)}'s certificate.");
        }
        byte[] pkcs8 = privateKey.ExportPkcs8PrivateKey();
        try
        {
            return mine.GetContent(PrivateKeyFactory.CreateKey(pkcs8));
        }
#pragma warning disable CA1031 // as above: a wrong key or damaged ciphertext both end here
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            throw new DocumentEncryptionException("The document does not decrypt with this key: the wrong key, or the document is damaged.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
