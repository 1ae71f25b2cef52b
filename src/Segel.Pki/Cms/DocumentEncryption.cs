using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Cms;
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
/// with AES-256-CBC content encryption and, per recipient, RSA-OAEP with SHA-256 (RFC 8017) or ephemeral-static
/// ECDH with the X9.63 SHA-256 KDF and AES-256 key wrap (RFC 5753) — what openssl cms writes and reads.
/// Decryption also takes PKCS#1 v1.5 recipients and the SHA-1 KDF, as older clients and openssl's defaults write them.
/// </summary>
public static class DocumentEncryption
{
    private const string RsaOaepSha256 = "RSA/NONE/OAEPWITHSHA256ANDMGF1PADDING";

    public static byte[] Encrypt(ReadOnlySpan<byte> content, IReadOnlyCollection<X509Certificate2> recipients)
    {
        var generator = new CmsEnvelopedDataGenerator();
        AddRecipients(generator, recipients);
        return generator.Generate(new CmsProcessableByteArray(content.ToArray()), Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdAes256Cbc).GetEncoded();
    }

    /// <summary>
    /// Encrypts <paramref name="content"/> into <paramref name="output"/> as it is read (BER, indefinite lengths), so a
    /// large document costs a buffer rather than its size: the same EnvelopedData as <see cref="Encrypt"/>. Both streams
    /// are used synchronously (give it files, not a request body).
    /// </summary>
    public static void Encrypt(Stream content, Stream output, IReadOnlyCollection<X509Certificate2> recipients)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(output);
        var generator = new CmsEnvelopedDataStreamGenerator();
        AddRecipients(generator, recipients);
        using Stream encrypting = generator.Open(output, Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdAes256Cbc.Id);
        content.CopyTo(encrypting, 81920);
    }

    /// <summary>Whether a document may be encrypted to <paramref name="certificate"/>: its key usage, if it has one, names keyEncipherment or keyAgreement.</summary>
    public static bool AllowsEncryptionTo(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } usage ||
            (usage.KeyUsages & (X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement)) != 0;
    }

    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private static void AddRecipients(CmsEnvelopedGenerator generator, IReadOnlyCollection<X509Certificate2> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient certificate is needed.", nameof(recipients));
        }
        foreach (X509Certificate2 recipient in recipients)
        {
            if (!AllowsEncryptionTo(recipient))
            {
                throw new ArgumentException($"The certificate of {recipient.GetNameInfo(X509NameType.SimpleName, false)} does not allow encryption to it.", nameof(recipients));
            }
            var certificate = new BcCertificate(recipient.RawData);
            if (recipient.GetRSAPublicKey() is { } rsa)
            {
                rsa.Dispose();
                generator.AddRecipientInfoGenerator(new KeyTransRecipientInfoGenerator(certificate, new Asn1KeyWrapper(RsaOaepSha256, certificate)));
            }
            else if (recipient.PublicKey.Oid.Value == EcPublicKeyOid)
            {
                // Not GetECDsaPublicKey: .NET withholds it from a certificate whose key usage is keyAgreement alone.
                generator.AddRecipientInfoGenerator(new EcdhRecipients.Generator(recipient));
            }
            else
            {
                throw new ArgumentException($"The key of {recipient.GetNameInfo(X509NameType.SimpleName, false)} is neither RSA nor EC.", nameof(recipients));
            }
        }
    }

    /// <summary>Whether <paramref name="envelope"/> is an EnvelopedData with a recipient for <paramref name="recipient"/> (issuer and serial), read without decrypting.</summary>
    public static bool IsFor(Stream envelope, X509Certificate2 recipient)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(recipient);
        return Parse(envelope).GetRecipientInfos().GetFirstRecipient(IdOf(recipient)) is not null;
    }

    /// <summary>
    /// Decrypts <paramref name="envelope"/> into <paramref name="output"/> as it is read, for an RSA recipient (either
    /// padding); an EC recipient's document is read whole (RFC 5753's key agreement is unwrapped by Segel's own code).
    /// </summary>
    public static void Decrypt(Stream envelope, Stream output, X509Certificate2 recipient, AsymmetricAlgorithm privateKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey is ECDsa or ECDiffieHellman)
        {
            using var whole = new MemoryStream();
            envelope.CopyTo(whole);
            output.Write(Decrypt(whole.GetBuffer().AsSpan(0, (int)whole.Length), recipient, privateKey));
            return;
        }
        RecipientInformation mine = Parse(envelope).GetRecipientInfos().GetFirstRecipient(IdOf(recipient))
            ?? throw new DocumentEncryptionException($"The document is not encrypted to {recipient.GetNameInfo(X509NameType.SimpleName, false)}'s certificate.");
        byte[] pkcs8 = privateKey.ExportPkcs8PrivateKey();
        try
        {
            using Stream plain = mine.GetContentStream(PrivateKeyFactory.CreateKey(pkcs8)).ContentStream;
            plain.CopyTo(output, 81920);
        }
#pragma warning disable CA1031 // a wrong key or damaged ciphertext both end here (BouncyCastle throws several kinds, some inside IOException)
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

    private static RecipientID IdOf(X509Certificate2 recipient)
    {
        var certificate = new BcCertificate(recipient.RawData);
        return new RecipientID { Issuer = certificate.IssuerDN, SerialNumber = certificate.SerialNumber };
    }

    private static CmsEnvelopedDataParser Parse(Stream envelope)
    {
        try
        {
            return new CmsEnvelopedDataParser(envelope);
        }
#pragma warning disable CA1031 // untrusted bytes: whatever the parser throws means "not an encrypted document"
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            throw new DocumentEncryptionException("This is not a CMS encrypted document (EnvelopedData).", e);
        }
    }

    private static byte[] DecryptForEc(CmsEnvelopedData data, X509Certificate2 recipient, ECDsa privateKey)
    {
        var enveloped = Org.BouncyCastle.Asn1.Cms.EnvelopedData.GetInstance(data.ContentInfo.Content);
        byte[] key = EcdhRecipients.UnwrapKey(enveloped, recipient, privateKey)
            ?? throw new DocumentEncryptionException($"The document is not encrypted to {recipient.GetNameInfo(X509NameType.SimpleName, false)}'s certificate.");
        try
        {
            Org.BouncyCastle.Asn1.Cms.EncryptedContentInfo content = enveloped.EncryptedContentInfo;
            string algorithm = content.ContentEncryptionAlgorithm.Algorithm.Id;
            if (algorithm is not ("2.16.840.1.101.3.4.1.2" or "2.16.840.1.101.3.4.1.22" or "2.16.840.1.101.3.4.1.42"))
            {
                throw new DocumentEncryptionException($"The content is encrypted with {algorithm}; Segel reads AES-CBC.");
            }
            byte[] iv = Org.BouncyCastle.Asn1.Asn1OctetString.GetInstance(content.ContentEncryptionAlgorithm.Parameters).GetOctets();
            using var aes = Aes.Create();
            aes.Key = key;
            return aes.DecryptCbc(content.EncryptedContent.GetOctets(), iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException e)
        {
            throw new DocumentEncryptionException("The document does not decrypt with this key: the wrong key, or the document is damaged.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
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
        if (privateKey is ECDsa ec)
        {
            return DecryptForEc(data, recipient, ec);
        }
        if (privateKey is ECDiffieHellman dh)
        {
            // A key-agreement-only certificate's key (issue 23.5): the same curve point, so the same agreement.
            ECParameters parameters = dh.ExportParameters(true);
            try
            {
                using var asEc = ECDsa.Create(parameters);
                return DecryptForEc(data, recipient, asEc);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(parameters.D);
            }
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
