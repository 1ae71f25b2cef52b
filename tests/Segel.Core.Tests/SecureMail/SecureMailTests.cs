using System.Security.Cryptography.X509Certificates;
using MimeKit;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Validation;
using Segel.Testing;

namespace Segel.Core.Tests.SecureMail;

/// <summary>S/MIME for holders, checked by openssl in both directions (smime for signatures, cms for RSA-OAEP envelopes, which the legacy smime command cannot open).</summary>
public sealed class SecureMailTests
{
    private static MimeMessage Letter()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Budi Santoso", "budi@tanahbumbukab.go.id"));
        message.To.Add(new MailboxAddress("Siti Aminah", "siti@tanahbumbukab.go.id"));
        message.Subject = "Undangan rapat koordinasi";
        message.Body = new TextPart("plain") { Text = "Mohon hadir pada rapat koordinasi hari Senin pukul 09.00 WITA." };
        return message;
    }

    [Fact]
    public async Task Signed_and_encrypted_mail_round_trips_with_openssl()
    {
        using TestCa test = await TestCa.CreateAsync(configure: o => o.Ca.SubscriberAlgorithm = "rsa2048");
        (IssuedCertificate _, byte[] pkcs12) = await test.Ca.Issuance.IssueWithGeneratedKeyAsync(
            new HolderDetails("Budi Santoso", "budi@tanahbumbukab.go.id", "Dinas Kominfo", "198507152010011003"), CertificateProfile.Subscriber, "kata-sandi-p12", Actor.System);
        X509Certificate2 budi = X509CertificateLoader.LoadPkcs12(pkcs12, "kata-sandi-p12", X509KeyStorageFlags.Exportable);
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        LoadedAuthority root = await test.Ca.Ring.GetActiveAsync(AuthorityRole.RootCa);
        string chain = test.Directory.Write("chain.pem", issuing.Certificate.ExportCertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n");
        string cert = test.Directory.Write("budi.pem", budi.ExportCertificatePem());
        string key = test.Directory.Write("budi.key", budi.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var evidence = new RevocationEvidence();
        evidence.Crls.Add((await test.Ca.Crls.PublishAsync(issuing)).Der);
        evidence.Crls.Add((await test.Ca.Crls.PublishAsync(root)).Der);

        // Segel signs, openssl verifies.
        string signed = test.Directory.File("signed.eml");
        await Segel.Core.SecureMail.SecureMail.Sign(Letter(), budi, [issuing.Certificate]).WriteToAsync(signed);
        Tool.Result verified = Tool.OpenSsl("smime", "-verify", "-in", signed, "-CAfile", chain, "-purpose", "any", "-out", test.Directory.File("signed.out"));
        Assert.True(verified.ExitCode == 0, verified.Output);
        Assert.Contains("Verification successful", verified.Stderr, StringComparison.Ordinal);
        Assert.Contains("rapat koordinasi", File.ReadAllText(test.Directory.File("signed.out")), StringComparison.Ordinal);
        MailSignatureAssert(await Segel.Core.SecureMail.SecureMail.VerifyAsync(await MimeMessage.LoadAsync(signed), [root.Certificate], evidence, test.Time.GetUtcNow()));
        GpgsmVerifies(test.Directory, signed, root.Certificate, issuing.Certificate);

        // openssl signs, Segel verifies; a changed body does not verify.
        string body = test.Directory.Write("body.txt", "Content-Type: text/plain\r\n\r\nNota dinas dari openssl\r\n");
        string fromOpenssl = test.Directory.File("openssl-signed.eml");
        Tool.OpenSslOk("smime", "-sign", "-in", body, "-signer", cert, "-inkey", key, "-certfile", chain, "-md", "sha256", "-out", fromOpenssl);
        MailSignatureAssert(await Segel.Core.SecureMail.SecureMail.VerifyAsync(await MimeMessage.LoadAsync(fromOpenssl), [root.Certificate], evidence, test.Time.GetUtcNow()));
        string tampered = test.Directory.Write("tampered.eml", File.ReadAllText(fromOpenssl).Replace("Nota dinas dari openssl", "Nota dinas dari orang lain", StringComparison.Ordinal));
        Assert.False(Assert.Single(await Segel.Core.SecureMail.SecureMail.VerifyAsync(await MimeMessage.LoadAsync(tampered), [root.Certificate], evidence, test.Time.GetUtcNow())).Valid);

        // Segel encrypts, openssl decrypts; openssl encrypts (RSA-OAEP, AES-256), Segel decrypts.
        string encrypted = test.Directory.File("encrypted.eml");
        await Segel.Core.SecureMail.SecureMail.Encrypt(Letter(), [budi]).WriteToAsync(encrypted);
        Assert.DoesNotContain("Mohon hadir", File.ReadAllText(encrypted), StringComparison.Ordinal); // the body; headers stay readable, as in any S/MIME
        Tool.OpenSslOk("cms", "-decrypt", "-in", encrypted, "-recip", cert, "-inkey", key, "-out", test.Directory.File("decrypted.txt"));
        Assert.Contains("Mohon hadir", File.ReadAllText(test.Directory.File("decrypted.txt")), StringComparison.Ordinal);
        string fromOpensslEncrypted = test.Directory.File("openssl-encrypted.eml");
        Tool.OpenSslOk("cms", "-encrypt", "-in", body, "-aes256", "-recip", cert, "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-out", fromOpensslEncrypted);
        MimeMessage opened = Segel.Core.SecureMail.SecureMail.Decrypt(await MimeMessage.LoadAsync(fromOpensslEncrypted), budi);
        Assert.Contains("Nota dinas dari openssl", ((TextPart)opened.Body!).Text, StringComparison.Ordinal);
    }

    /// <summary>Mail to an EC key (ECDH key agreement), both ways with openssl cms; and what older clients send to RSA keys (PKCS#1 v1.5).</summary>
    [Fact]
    public async Task Encrypted_mail_to_ec_keys_and_from_older_clients_opens_on_both_sides()
    {
        using TestCa test = await TestCa.CreateAsync(configure: o => o.Ca.SubscriberAlgorithm = "ecdsa-p256");
        (IssuedCertificate _, byte[] pkcs12) = await test.Ca.Issuance.IssueWithGeneratedKeyAsync(
            new HolderDetails("Siti Aminah", "siti@tanahbumbukab.go.id", "Dinas Kesehatan", "199001012015032001"), CertificateProfile.Subscriber, "kata-sandi-p12", Actor.System);
        X509Certificate2 siti = X509CertificateLoader.LoadPkcs12(pkcs12, "kata-sandi-p12", X509KeyStorageFlags.Exportable);
        string cert = test.Directory.Write("siti.pem", siti.ExportCertificatePem());
        string key = test.Directory.Write("siti.key", siti.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        string encrypted = test.Directory.File("ec-encrypted.eml");
        await Segel.Core.SecureMail.SecureMail.Encrypt(Letter(), [siti]).WriteToAsync(encrypted);
        Tool.OpenSslOk("cms", "-decrypt", "-in", encrypted, "-recip", cert, "-inkey", key, "-out", test.Directory.File("ec-decrypted.txt"));
        Assert.Contains("Mohon hadir", File.ReadAllText(test.Directory.File("ec-decrypted.txt")), StringComparison.Ordinal);

        string body = test.Directory.Write("body.txt", "Content-Type: text/plain\r\n\r\nBalasan dari openssl\r\n");
        string fromOpenssl = test.Directory.File("openssl-ec.eml");
        Tool.OpenSslOk("cms", "-encrypt", "-in", body, "-aes256", "-recip", cert, "-out", fromOpenssl);
        MimeMessage opened = Segel.Core.SecureMail.SecureMail.Decrypt(await MimeMessage.LoadAsync(fromOpenssl), siti);
        Assert.Contains("Balasan dari openssl", ((TextPart)opened.Body!).Text, StringComparison.Ordinal);

        using TestCa rsaCa = await TestCa.CreateAsync(configure: o => o.Ca.SubscriberAlgorithm = "rsa2048");
        (IssuedCertificate _, byte[] rsaPkcs12) = await rsaCa.Ca.Issuance.IssueWithGeneratedKeyAsync(
            new HolderDetails("Budi Santoso", "budi@tanahbumbukab.go.id", "Dinas Kominfo", "198507152010011003"), CertificateProfile.Subscriber, "kata-sandi-p12", Actor.System);
        X509Certificate2 budi = X509CertificateLoader.LoadPkcs12(rsaPkcs12, "kata-sandi-p12", X509KeyStorageFlags.Exportable);
        string budiCert = test.Directory.Write("budi.pem", budi.ExportCertificatePem());
        string legacy = test.Directory.File("legacy.eml");
        Tool.OpenSslOk("smime", "-encrypt", "-in", body, "-aes256", "-out", legacy, budiCert);
        Assert.Contains("Balasan dari openssl", ((TextPart)Segel.Core.SecureMail.SecureMail.Decrypt(await MimeMessage.LoadAsync(legacy), budi).Body!).Text, StringComparison.Ordinal);
        // Someone else's key opens nothing.
        Assert.ThrowsAny<Exception>(() => Segel.Core.SecureMail.SecureMail.Decrypt(MimeMessage.Load(encrypted), budi));
    }

    /// <summary>GnuPG's gpgsm, trusting Segel's root, verifies the detached signature over the signed part's exact bytes.</summary>
    private static void GpgsmVerifies(TempDirectory directory, string signedPath, X509Certificate2 root, X509Certificate2 issuing)
    {
        string raw = File.ReadAllText(signedPath);
        var signed = (MimeKit.Cryptography.MultipartSigned)MimeMessage.Load(signedPath).Body!;
        // The signed bytes are the first part exactly as it stands between the boundaries.
        string boundary = "--" + signed.Boundary;
        int start = raw.IndexOf("\n" + boundary, StringComparison.Ordinal) + 1 + boundary.Length;
        start = raw.IndexOf('\n', start) + 1;
        int end = raw.IndexOf("\n" + boundary, start, StringComparison.Ordinal);
        // S/MIME signs the canonical (CRLF) form; the file on disk may use LF.
        string part = raw[start..end].TrimEnd('\r').Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        string data = directory.Write("gpgsm.data", System.Text.Encoding.UTF8.GetBytes(part));
        using var signature = new MemoryStream();
        ((MimePart)signed[1]).Content!.DecodeTo(signature);
        string sig = directory.Write("gpgsm.p7s", signature.ToArray());
        string home = Path.Combine(directory.Path, "gnupg");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string?> { ["GNUPGHOME"] = home };
        string rootFile = directory.Write("gpgsm-root.pem", root.ExportCertificatePem());
        string issuingFile = directory.Write("gpgsm-issuing.pem", issuing.ExportCertificatePem());
        Tool.Run("gpgsm", ["--batch", "--import", rootFile, issuingFile], environment: environment).Check();
        File.WriteAllText(Path.Combine(home, "trustlist.txt"), string.Join(":", Convert.FromHexString(root.GetCertHashString()).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))) + " S relax\n");
        Tool.Result gpgsm = Tool.Run("gpgsm", ["--batch", "--disable-crl-checks", "--disable-dirmngr", "--verify", sig, data], environment: environment);
        Tool.Run("gpgconf", ["--kill", "all"], environment: environment);
        Assert.True(gpgsm.ExitCode == 0, gpgsm.Output);
        Assert.Contains("Good signature", gpgsm.Output, StringComparison.Ordinal);
    }

    private static void MailSignatureAssert(IReadOnlyList<Segel.Core.SecureMail.MailSignature> signatures)
    {
        Segel.Core.SecureMail.MailSignature signature = Assert.Single(signatures);
        Assert.True(signature.Valid, string.Join("\n", signature.Findings));
        Assert.Contains("Budi Santoso", signature.Signer, StringComparison.Ordinal);
    }
}
