using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Cms;
using Segel.Testing;

namespace Segel.Pki.Tests.Cms;

/// <summary>Documents encrypted to holders, checked against openssl cms in both directions.</summary>
public sealed class DocumentEncryptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static X509Certificate2 Holder(string name, bool rsa) => SelfSignedHolder.Create(name, rsa);

    private (string Cert, string Key) Files(X509Certificate2 holder, string name)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)holder.GetRSAPrivateKey() ?? holder.GetECDsaPrivateKey()!;
        return (_dir.Write(name + ".pem", holder.ExportCertificatePem()), _dir.Write(name + ".key", key.ExportPkcs8PrivateKeyPem()));
    }

    private static AsymmetricAlgorithm KeyOf(X509Certificate2 holder) => SelfSignedHolder.KeyOf(holder);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void What_segel_encrypts_openssl_decrypts_and_the_other_way_round(bool rsa)
    {
        X509Certificate2 holder = Holder("Budi Santoso", rsa);
        (string cert, string key) = Files(holder, "budi");
        byte[] letter = System.Text.Encoding.UTF8.GetBytes("Surat rahasia Nomor 800/123 — hanya untuk Budi\n");

        string plain = _dir.Write("plain.txt", letter);
        string[] oaep = rsa ? ["-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"] : [];
        Tool.OpenSslOk(["cms", "-encrypt", "-binary", "-aes256", "-outform", "DER", "-in", plain, "-out", _dir.File("from-openssl.p7m"), "-recip", cert, .. oaep]);
        Assert.Equal(letter, DocumentEncryption.Decrypt(File.ReadAllBytes(_dir.File("from-openssl.p7m")), holder, KeyOf(holder)));

        string envelope = _dir.Write("to-budi.p7m", DocumentEncryption.Encrypt(letter, [holder]));
        string asn1 = Tool.OpenSslOk("cms", "-cmsout", "-print", "-inform", "DER", "-in", envelope);
        Assert.Contains("aes-256-cbc", asn1, StringComparison.Ordinal);
        Assert.Contains(rsa ? "rsaesOaep" : "dhSinglePass-stdDH-sha256kdf-scheme", asn1, StringComparison.Ordinal);
        Tool.OpenSslOk("cms", "-decrypt", "-binary", "-inform", "DER", "-in", envelope, "-recip", cert, "-inkey", key, "-out", _dir.File("opened.txt"));
        Assert.Equal(letter, File.ReadAllBytes(_dir.File("opened.txt")));
    }

    [Fact]
    public void Several_recipients_each_decrypt_and_anyone_else_gets_a_clear_error()
    {
        X509Certificate2 budi = Holder("Budi Santoso", rsa: true), siti = Holder("Siti Aminah", rsa: false), other = Holder("Orang Lain", rsa: false);
        byte[] envelope = DocumentEncryption.Encrypt("Notulen rapat"u8, [budi, siti]);
        Assert.Equal("Notulen rapat"u8.ToArray(), DocumentEncryption.Decrypt(envelope, budi, KeyOf(budi)));
        Assert.Equal("Notulen rapat"u8.ToArray(), DocumentEncryption.Decrypt(envelope, siti, KeyOf(siti)));
        Assert.Contains("not encrypted to Orang Lain", Assert.Throws<DocumentEncryptionException>(() => DocumentEncryption.Decrypt(envelope, other, KeyOf(other))).Message, StringComparison.Ordinal);
        Assert.Contains("not a CMS", Assert.Throws<DocumentEncryptionException>(() => DocumentEncryption.Decrypt("bukan"u8, budi, KeyOf(budi))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DocumentEncryption.Encrypt("x"u8, []));
    }

    public void Dispose() => _dir.Dispose();
}
