using Segel.Pki.Keys;

namespace Segel.Pki.Tests.Keys;

public sealed class SoftwareKeyStoreTests
{
    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void Sealed_key_opens_under_the_same_master_key_and_signs(KeyAlgorithm algorithm)
    {
        var store = new SoftwareKeyStore(MasterKey.Generate());
        StoredKey stored = store.Generate("issuing-ca", algorithm);
        using ISigningKey key = store.Open(stored);
        Assert.Equal("soft:issuing-ca", key.Uri);
        Assert.NotEmpty(key.SignData("data"u8));
    }

    [Fact]
    public void Sealed_key_does_not_contain_the_private_key_in_clear()
    {
        var master = MasterKey.Generate();
        var store = new SoftwareKeyStore(master);
        StoredKey stored = store.Generate("k", KeyAlgorithm.EcdsaP256);
        // A PKCS#8 EC key starts with SEQUENCE, INTEGER 0, and the id-ecPublicKey OID; none of it may show.
        byte[] ecOid = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
        Assert.Equal(-1, stored.SealedPrivateKey.AsSpan().IndexOf(ecOid));
    }

    [Fact]
    public void Another_master_key_cannot_open_it()
    {
        StoredKey stored = new SoftwareKeyStore(MasterKey.Generate()).Generate("k", KeyAlgorithm.EcdsaP256);
        var e = Assert.Throws<KeyStoreException>(() => new SoftwareKeyStore(MasterKey.Generate()).Open(stored));
        Assert.Contains("master key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sealed_blob_moved_to_another_key_name_does_not_open()
    {
        var store = new SoftwareKeyStore(MasterKey.Generate());
        StoredKey stored = store.Generate("ocsp", KeyAlgorithm.EcdsaP256);
        Assert.Throws<KeyStoreException>(() => store.Open(stored with { Uri = "soft:issuing-ca" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Bad_master_key_text_is_a_clear_error(string text) => Assert.Throws<KeyStoreException>(() => MasterKey.Parse(text));

    [Theory]
    [InlineData("rsa2048", KeyAlgorithm.Rsa2048)]
    [InlineData("ECDSA-P256", KeyAlgorithm.EcdsaP256)]
    [InlineData("p384", KeyAlgorithm.EcdsaP384)]
    public void Algorithm_names_parse(string text, KeyAlgorithm expected) => Assert.Equal(expected, KeyAlgorithms.Parse(text));

    [Fact]
    public void Unknown_algorithm_name_lists_the_choices() =>
        Assert.Contains("rsa3072", Assert.Throws<FormatException>(() => KeyAlgorithms.Parse("dsa")).Message, StringComparison.Ordinal);
}
