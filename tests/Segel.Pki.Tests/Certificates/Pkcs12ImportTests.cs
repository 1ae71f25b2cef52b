using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Certificates;
using Segel.Testing;

namespace Segel.Pki.Tests.Certificates;

/// <summary>The PKCS#12 reader behind `pdf sign --p12`: the same answers as .NET's loader, its key derivations side by side.</summary>
public sealed class Pkcs12ImportTests : IDisposable
{
    private const string Password = "kata-sandi-p12";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reads_the_key_and_chain_of_a_pkcs12_segel_wrote_for_rsa_and_ec()
    {
        foreach (AsymmetricAlgorithm key in (AsymmetricAlgorithm[])[RSA.Create(2048), ECDsa.Create(ECCurve.NamedCurves.nistP256)])
        {
            (X509Certificate2 root, X509Certificate2 leaf) = Chain(key);
            byte[] pfx = Pkcs12Export.Export(leaf, [root], Password, "Siti Aminah");

            Pkcs12Contents contents = Pkcs12Import.Read(pfx, Password);

            Assert.Equal(leaf.Thumbprint, contents.Owner?.Thumbprint);
            Assert.Equal(root.Thumbprint, Assert.Single(contents.Certificates).Thumbprint);
            byte[] signature = Sign(contents.Key!, "surat"u8.ToArray());
            Assert.True(Verify(leaf, "surat"u8.ToArray(), signature));
            using var loaded = X509CertificateLoader.LoadPkcs12(pfx, Password);
            Assert.Equal(loaded.Thumbprint, contents.Owner!.Thumbprint);
        }
    }

    [Fact]
    public void Reads_what_openssl_writes_and_finds_the_owner_whatever_the_order()
    {
        using var key = RSA.Create(2048);
        (X509Certificate2 root, X509Certificate2 leaf) = Chain(key);
        File.WriteAllText(_dir.File("certificates.pem"), root.ExportCertificatePem() + "\n" + leaf.ExportCertificatePem());
        File.WriteAllText(_dir.File("key.pem"), key.ExportPkcs8PrivateKeyPem());
        // openssl's defaults (PBES2, AES-256, 2,048 iterations), the CA certificate given before the signer's
        Tool.Run("openssl", "pkcs12", "-export", "-in", _dir.File("certificates.pem"), "-inkey", _dir.File("key.pem"),
            "-out", _dir.File("openssl.p12"), "-passout", "pass:" + Password).Check();

        Pkcs12Contents contents = Pkcs12Import.Read(File.ReadAllBytes(_dir.File("openssl.p12")), Password);

        Assert.Equal(leaf.Thumbprint, contents.Owner?.Thumbprint);
        Assert.Equal(root.Thumbprint, Assert.Single(contents.Certificates).Thumbprint);

        // Certificates left unencrypted (-certpbe NONE): the loader hands them over with the MAC check.
        Tool.Run("openssl", "pkcs12", "-export", "-in", _dir.File("certificates.pem"), "-inkey", _dir.File("key.pem"), "-certpbe", "NONE",
            "-out", _dir.File("plain-certs.p12"), "-passout", "pass:" + Password).Check();
        Pkcs12Contents plain = Pkcs12Import.Read(File.ReadAllBytes(_dir.File("plain-certs.p12")), Password);
        Assert.Equal(leaf.Thumbprint, plain.Owner?.Thumbprint);
        Assert.Single(plain.Certificates);
    }

    [Fact]
    public void A_wrong_password_or_something_else_is_a_cryptographic_error_and_certificates_alone_have_no_owner()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        (X509Certificate2 root, X509Certificate2 leaf) = Chain(key);
        byte[] pfx = Pkcs12Export.Export(leaf, [root], Password, "Siti Aminah");

        Assert.ThrowsAny<CryptographicException>(() => Pkcs12Import.Read(pfx, "salah"));
        Assert.ThrowsAny<CryptographicException>(() => Pkcs12Import.Read("%PDF-1.7\n"u8.ToArray(), Password));
        Assert.ThrowsAny<CryptographicException>(() => Pkcs12Import.Read(pfx[..(pfx.Length / 2)], Password));

        byte[] certificatesOnly = root.Export(X509ContentType.Pkcs12, Password);
        Pkcs12Contents contents = Pkcs12Import.Read(certificatesOnly, Password);
        Assert.Null(contents.Owner);
        Assert.Null(contents.Key);
        Assert.Single(contents.Certificates);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_part_protected_beyond_the_loaders_iteration_limit_is_refused_not_derived(bool keyBag)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        (X509Certificate2 root, X509Certificate2 leaf) = Chain(key);
        var excessive = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 3_000_000);
        var usual = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 2048);
        var bags = new Pkcs12SafeContents();
        bags.AddShroudedKey(key, Password, keyBag ? excessive : usual);
        var certificates = new Pkcs12SafeContents();
        certificates.AddCertificate(leaf);
        certificates.AddCertificate(root);
        var builder = new Pkcs12Builder();
        builder.AddSafeContentsEncrypted(certificates, Password, keyBag ? usual : excessive);
        builder.AddSafeContentsUnencrypted(bags);
        builder.SealWithMac(Password, HashAlgorithmName.SHA256, 2048);
        byte[] pfx = builder.Encode();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<CryptographicException>(() => Pkcs12Import.Read(pfx, Password));
        // Deriving 3,000,000 iterations takes over a second; the refusal comes before any of them.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(0.75), $"took {clock.Elapsed}");
    }

    private static (X509Certificate2 Root, X509Certificate2 Leaf) Chain(AsymmetricAlgorithm leafKey)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Uji Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        CertificateRequest request = leafKey is RSA rsa
            ? new CertificateRequest("CN=Siti Aminah", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=Siti Aminah", (ECDsa)leafKey, HashAlgorithmName.SHA256);
        using X509Certificate2 issued = request.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), now.AddHours(-1), now.AddYears(1), [1, 2, 3, 4]);
        X509Certificate2 leaf = leafKey is RSA r ? issued.CopyWithPrivateKey(r) : issued.CopyWithPrivateKey((ECDsa)leafKey);
        return (X509CertificateLoader.LoadCertificate(root.RawData), leaf);
    }

    private static byte[] Sign(AsymmetricAlgorithm key, byte[] data) => key is RSA rsa
        ? rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : ((ECDsa)key).SignData(data, HashAlgorithmName.SHA256);

    private static bool Verify(X509Certificate2 certificate, byte[] data, byte[] signature) => certificate.GetRSAPublicKey() is { } rsa
        ? rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : certificate.GetECDsaPublicKey()!.VerifyData(data, signature, HashAlgorithmName.SHA256);
}
