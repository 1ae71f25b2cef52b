using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Segel.Pki.Cms;

/// <summary>
/// ECDH recipients of CMS EnvelopedData as RFC 5753 and openssl have them: ephemeral-static ECDH (.NET), the
/// X9.63 KDF over the ECC-CMS-SharedInfo (BouncyCastle's KDF2), AES key wrap (BouncyCastle). The SharedInfo
/// carries the key-wrap algorithm exactly as the message encodes it — BouncyCastle C# adds a NULL parameter
/// there, which is why its own key-agreement recipients do not open in openssl (bc-csharp #697).
/// </summary>
internal static class EcdhRecipients
{
    private const string Aes256Wrap = "2.16.840.1.101.3.4.1.45";
    private const string StdDhSha256Kdf = "1.3.132.1.11.1";

    /// <summary>A RecipientInfo generator for one EC recipient, for BouncyCastle's EnvelopedData generator.</summary>
    public sealed class Generator(X509Certificate2 recipient) : RecipientInfoGenerator
    {
        public RecipientInfo Generate(KeyParameter contentEncryptionKey, SecureRandom random)
        {
            // From the SubjectPublicKeyInfo, not GetECDsaPublicKey, which .NET withholds when the key usage is keyAgreement alone.
            using var theirs = ECDiffieHellman.Create();
            theirs.ImportSubjectPublicKeyInfo(recipient.PublicKey.ExportSubjectPublicKeyInfo(), out _);
            ECParameters recipientParameters = theirs.ExportParameters(false);
            using var ephemeral = ECDiffieHellman.Create(recipientParameters.Curve);
            var wrap = new AlgorithmIdentifier(new DerObjectIdentifier(Aes256Wrap));
            byte[] secret = ephemeral.DeriveRawSecretAgreement(theirs.PublicKey);
            byte[] kek = Kek(secret, HashAlgorithmName.SHA256, wrap.GetEncoded(Asn1Encodable.Der), null, 32);
            byte[] wrapped = Wrap(kek, contentEncryptionKey.GetKey(), true);
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(kek);

            var bc = new BcCertificate(recipient.RawData);
            var encryptedKey = new RecipientEncryptedKey(
                new KeyAgreeRecipientIdentifier(new IssuerAndSerialNumber(bc.IssuerDN, bc.SerialNumber)), new DerOctetString(wrapped));
            ECParameters mine = ephemeral.ExportParameters(false);
            byte[] point = [0x04, .. mine.Q.X!, .. mine.Q.Y!];
            var originator = new OriginatorIdentifierOrKey(new OriginatorPublicKey(
                new AlgorithmIdentifier(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.IdECPublicKey), point));
            return new RecipientInfo(new KeyAgreeRecipientInfo(originator, null,
                new AlgorithmIdentifier(new DerObjectIdentifier(StdDhSha256Kdf), wrap), new DerSequence(encryptedKey)));
        }
    }

    /// <summary>The content-encryption key from a key-agreement recipient info meant for <paramref name="recipient"/>, or null if none is.</summary>
    public static byte[]? UnwrapKey(EnvelopedData enveloped, X509Certificate2 recipient, ECDsa privateKey)
    {
        var bc = new BcCertificate(recipient.RawData);
        foreach (Asn1Encodable item in enveloped.RecipientInfos)
        {
            if (RecipientInfo.GetInstance(item).Info is not KeyAgreeRecipientInfo agree)
            {
                continue;
            }
            RecipientEncryptedKey? mine = agree.RecipientEncryptedKeys.OfType<Asn1Encodable>().Select(RecipientEncryptedKey.GetInstance)
                .FirstOrDefault(k => k.Identifier.IssuerAndSerialNumber is { } id && id.Issuer.Equivalent(bc.IssuerDN) && id.SerialNumber.HasValue(bc.SerialNumber));
            if (mine is null)
            {
                continue;
            }
            HashAlgorithmName hash = agree.KeyEncryptionAlgorithm.Algorithm.Id switch
            {
                "1.3.133.16.840.63.0.2" => HashAlgorithmName.SHA1,
                "1.3.132.1.11.1" => HashAlgorithmName.SHA256,
                "1.3.132.1.11.2" => HashAlgorithmName.SHA384,
                "1.3.132.1.11.3" => HashAlgorithmName.SHA512,
                var other => throw new DocumentEncryptionException($"The key agreement scheme {other} is not supported."),
            };
            var wrap = AlgorithmIdentifier.GetInstance(agree.KeyEncryptionAlgorithm.Parameters);
            int keyLength = wrap.Algorithm.Id switch
            {
                "2.16.840.1.101.3.4.1.5" => 16,
                "2.16.840.1.101.3.4.1.25" => 24,
                "2.16.840.1.101.3.4.1.45" => 32,
                var other => throw new DocumentEncryptionException($"The key wrap {other} is not supported."),
            };
            if (agree.Originator.OriginatorKey is not { } originatorKey)
            {
                throw new DocumentEncryptionException("Only ephemeral originator keys are supported for EC recipients.");
            }
            ECParameters parameters = privateKey.ExportParameters(false);
            byte[] point = originatorKey.PublicKey.GetOctets();
            int size = (point.Length - 1) / 2;
            using var theirs = ECDiffieHellman.Create(new ECParameters { Curve = parameters.Curve, Q = new ECPoint { X = point[1..(1 + size)], Y = point[(1 + size)..] } });
            using var ours = ECDiffieHellman.Create(privateKey.ExportParameters(true));
            byte[] secret = ours.DeriveRawSecretAgreement(theirs.PublicKey);
            byte[] kek = Kek(secret, hash, wrap.GetEncoded(Asn1Encodable.Der), agree.UserKeyingMaterial?.GetOctets(), keyLength);
            try
            {
                return Wrap(kek, mine.EncryptedKey.GetOctets(), false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
                CryptographicOperations.ZeroMemory(kek);
            }
        }
        return null;
    }

    /// <summary>The X9.63 KDF (KDF2) over the DER ECC-CMS-SharedInfo of RFC 5753 §7.2.</summary>
    private static byte[] Kek(byte[] secret, HashAlgorithmName hash, byte[] wrapAlgorithm, byte[]? ukm, int keyLength)
    {
        var info = new Asn1EncodableVector(Asn1Object.FromByteArray(wrapAlgorithm));
        if (ukm is not null)
        {
            info.Add(new DerTaggedObject(true, 0, new DerOctetString(ukm)));
        }
        byte[] bits = [(byte)(keyLength * 8 >> 24), (byte)(keyLength * 8 >> 16), (byte)(keyLength * 8 >> 8), (byte)(keyLength * 8)];
        info.Add(new DerTaggedObject(true, 2, new DerOctetString(bits)));
        byte[] sharedInfo = new DerSequence(info).GetEncoded(Asn1Encodable.Der);
        Org.BouncyCastle.Crypto.IDigest digest = hash == HashAlgorithmName.SHA1 ? new Sha1Digest()
            : hash == HashAlgorithmName.SHA384 ? new Sha384Digest() : hash == HashAlgorithmName.SHA512 ? new Sha512Digest() : new Sha256Digest();
        var kdf = new Kdf2BytesGenerator(digest);
        kdf.Init(new KdfParameters(secret, sharedInfo));
        byte[] kek = new byte[keyLength];
        kdf.GenerateBytes(kek, 0, kek.Length);
        return kek;
    }

    private static byte[] Wrap(byte[] kek, byte[] key, bool wrap)
    {
        var engine = new AesWrapEngine();
        engine.Init(wrap, new KeyParameter(kek));
        try
        {
            return wrap ? engine.Wrap(key, 0, key.Length) : engine.Unwrap(key, 0, key.Length);
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException e)
        {
            throw new DocumentEncryptionException("The document does not decrypt with this key: the wrong key, or the document is damaged.", e);
        }
    }
}
