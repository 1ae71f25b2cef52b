using System.Security.Cryptography;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.Pki.Tests.Keys;

/// <summary>The HSM key store against a real PKCS#11 module: SoftHSM2.</summary>
public sealed class Pkcs11KeyStoreTests
{
    [Theory]
    [InlineData(KeyAlgorithm.Rsa2048)]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP384)]
    public void Keys_are_made_on_the_token_and_sign_what_their_public_halves_verify(KeyAlgorithm algorithm)
    {
        using var store = new Pkcs11KeyStore(SoftHsm.Token);
        StoredKey stored = store.Generate("issuing-ca", algorithm);
        Assert.StartsWith("pkcs11:token=", stored.Uri, StringComparison.Ordinal);
        Assert.Null(stored.SealedPrivateKey); // nothing of the key leaves the token
        using ISigningKey key = store.Open(stored);
        byte[] data = "Surat Dinas Nomor 800/123"u8.ToArray();
        byte[] signature = key.SignData(data);
        if (algorithm.IsRsa())
        {
            using RSA rsa = key.PublicKey.GetRSAPublicKey()!;
            Assert.True(rsa.VerifyData(data, signature, algorithm.Hash(), RSASignaturePadding.Pkcs1));
        }
        else
        {
            using ECDsa ecdsa = key.PublicKey.GetECDsaPublicKey()!;
            Assert.True(ecdsa.VerifyData(data, signature, algorithm.Hash(), DSASignatureFormat.Rfc3279DerSequence));
        }
        // Signing from several threads at once, as the OCSP responder does; 600 signatures also meet the
        // r or s with a leading zero byte (1 in 256 each) that DER must drop.
        Parallel.For(0, 600, i =>
        {
            byte[] message = BitConverter.GetBytes(i);
            byte[] signed = key.SignData(message);
            using AsymmetricAlgorithm verifier = algorithm.IsRsa() ? key.PublicKey.GetRSAPublicKey()! : key.PublicKey.GetECDsaPublicKey()!;
            Assert.True(verifier is RSA rsa
                ? rsa.VerifyData(message, signed, algorithm.Hash(), RSASignaturePadding.Pkcs1)
                : ((ECDsa)verifier).VerifyData(message, signed, algorithm.Hash(), DSASignatureFormat.Rfc3279DerSequence));
        });
    }

    [Fact]
    public void A_wrong_pin_an_unknown_token_and_a_missing_key_are_clear_errors()
    {
        Pkcs11Options token = SoftHsm.Token;
        Assert.Contains("PIN", Assert.Throws<KeyStoreException>(() => new Pkcs11KeyStore(SoftHsm.UntouchedToken with { Pin = "salah" })).Message, StringComparison.Ordinal);
        Assert.Contains("No token labelled", Assert.Throws<KeyStoreException>(() => new Pkcs11KeyStore(token with { Token = "tidak-ada" })).Message, StringComparison.Ordinal);
        Assert.Contains("could not be loaded", Assert.Throws<KeyStoreException>(() => new Pkcs11KeyStore(token with { Library = "/tidak/ada.so" })).Message, StringComparison.Ordinal);
        using var store = new Pkcs11KeyStore(token);
        Assert.Contains("is not on token", Assert.Throws<KeyStoreException>(() =>
            store.Open(new StoredKey("pkcs11:token=x;object=y;id=00112233", KeyAlgorithm.EcdsaP256, null))).Message, StringComparison.Ordinal);
    }

    /// <summary>The master key on the token: the same purpose keys from every session and store, different per purpose, and only as a key the token will not reveal.</summary>
    [Fact]
    public void The_master_key_stays_on_the_token_and_derives_the_same_keys_every_time()
    {
        string label = "segel-master-test-" + Guid.NewGuid().ToString("N")[..8];
        using var store = new Pkcs11KeyStore(SoftHsm.Token);
        Assert.Contains("no master key", Assert.Throws<KeyStoreException>(() => store.MasterKey(label, create: false)).Message, StringComparison.Ordinal);
        MasterKey created = store.MasterKey(label, create: true);
        Assert.False(created.IsInMemory);
        Assert.Throws<InvalidOperationException>(() => created.ToBase64());
        byte[] audit = created.Derive("segel/audit-chain/v1");
        Assert.Equal(32, audit.Length);
        Assert.NotEqual(audit, created.Derive("segel/holder-key-pepper/v1"));
        // Found again, its attributes are read back from the token, and a sensitive, non-extractable key is all Segel accepts.
        using var again = new Pkcs11KeyStore(SoftHsm.Token);
        Assert.Equal(audit, again.MasterKey(label, create: false).Derive("segel/audit-chain/v1"));
        Assert.Equal(audit, again.MasterKey(label, create: true).Derive("segel/audit-chain/v1")); // found, not made twice
    }
}
