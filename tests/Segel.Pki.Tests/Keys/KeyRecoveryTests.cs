using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.Pki.Tests.Keys;

/// <summary>
/// Key recovery with a split secret: two of three officers recover an escrowed key, one cannot — and the whole way also
/// runs with openssl and gfcombine alone, so the regency can recover without Segel.
/// </summary>
public sealed class KeyRecoveryTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow.AddMinutes(-1);
    private readonly TempDirectory _dir = new();

    // As an officer's certificate is today: it signs and encrypts.
    private static X509Certificate2 Officer(string name, bool rsa) => SelfSignedHolder.Create(name, rsa);

    private static AsymmetricAlgorithm KeyOf(X509Certificate2 officer) => SelfSignedHolder.KeyOf(officer);

    private static (RecoveryKeySet Keys, X509Certificate2[] Officers, byte[] Holder, byte[] Escrow) Escrowed()
    {
        X509Certificate2[] officers = [Officer("Petugas RA Satu", rsa: true), Officer("Petugas RA Dua", rsa: false), Officer("Petugas RA Tiga", rsa: true)];
        RecoveryKeySet keys = KeyRecovery.Create(new X500DistinguishedName("CN=Segel Pemulihan Kunci"), officers, 2, Now, TimeSpan.FromDays(3650));
        using RSA holder = RSA.Create(2048);
        byte[] pkcs8 = holder.ExportPkcs8PrivateKey();
        return (keys, officers, pkcs8, KeyRecovery.Escrow(pkcs8, keys.Certificate));
    }

    [Fact]
    public void Two_officers_recover_an_escrowed_key_and_one_cannot()
    {
        (RecoveryKeySet keys, X509Certificate2[] officers, byte[] holder, byte[] escrow) = Escrowed();
        Assert.Equal(3, keys.Shares.Count);
        SecretShare first = KeyRecovery.OpenShare(keys.Shares[0], KeyOf(officers[0]));
        SecretShare second = KeyRecovery.OpenShare(keys.Shares[1], KeyOf(officers[1]));
        Assert.Equal(holder, KeyRecovery.Recover(keys, [first, second], escrow));
        Assert.Throws<CryptographicException>(() => KeyRecovery.Recover(keys, [first], escrow));
        // A share opened with someone else's key is refused; a forged share rebuilds a secret the recovery key refuses.
        Assert.ThrowsAny<Exception>(() => KeyRecovery.OpenShare(keys.Shares[2], KeyOf(officers[1])));
        Assert.Throws<CryptographicException>(() => KeyRecovery.Recover(keys, [first, new SecretShare(3, new byte[KeyRecovery.SecretLength])], escrow));
    }

    [Fact]
    public void Openssl_and_gfcombine_recover_without_segel()
    {
        (RecoveryKeySet keys, X509Certificate2[] officers, byte[] holder, byte[] escrow) = Escrowed();
        foreach (int i in new[] { 1, 2 })
        {
            // Each officer opens their own share with openssl and their key.
            OfficerShare share = keys.Shares[i];
            string cert = _dir.Write($"officer{i}.pem", officers[i].ExportCertificatePem());
            string key = _dir.Write($"officer{i}.key", KeyOf(officers[i]).ExportPkcs8PrivateKeyPem());
            string envelope = _dir.Write($"share{i}.p7m", share.Envelope);
            Tool.OpenSslOk("cms", "-decrypt", "-binary", "-inform", "DER", "-in", envelope, "-recip", cert, "-inkey", key, "-out", _dir.File($"secret.{share.X:000}"));
        }
        Tool.Result combined = Tool.Run("gfcombine", "-o", _dir.File("secret"), _dir.File($"secret.{keys.Shares[1].X:000}"), _dir.File($"secret.{keys.Shares[2].X:000}"));
        Assert.True(combined.ExitCode == 0, combined.Output);
        string password = Convert.ToHexString(File.ReadAllBytes(_dir.File("secret")));
        string encrypted = _dir.Write("recovery.p8", keys.EncryptedPrivateKey);
        Tool.OpenSslOk("pkcs8", "-inform", "DER", "-in", encrypted, "-passin", "pass:" + password, "-out", _dir.File("recovery.key"));
        string recoveryCert = _dir.Write("recovery.pem", keys.Certificate.ExportCertificatePem());
        Tool.OpenSslOk("cms", "-decrypt", "-binary", "-inform", "DER", "-in", _dir.Write("escrow.p7m", escrow), "-recip", recoveryCert,
            "-inkey", _dir.File("recovery.key"), "-out", _dir.File("holder.p8"));
        Assert.Equal(holder, File.ReadAllBytes(_dir.File("holder.p8")));
        string asn1 = Tool.OpenSslOk("cms", "-cmsout", "-print", "-inform", "DER", "-in", _dir.File("escrow.p7m"));
        Assert.Contains("aes-256-cbc", asn1, StringComparison.Ordinal);
        Assert.Contains("rsaesOaep", asn1, StringComparison.Ordinal);
    }

    [Fact]
    public void An_officer_named_twice_or_an_impossible_threshold_is_refused()
    {
        X509Certificate2 one = Officer("Petugas RA Satu", rsa: true), two = Officer("Petugas RA Dua", rsa: true);
        var name = new X500DistinguishedName("CN=Segel Pemulihan Kunci");
        Assert.Throws<ArgumentException>(() => KeyRecovery.Create(name, [one, one], 2, Now, TimeSpan.FromDays(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyRecovery.Create(name, [one, two], 3, Now, TimeSpan.FromDays(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyRecovery.Create(name, [one], 2, Now, TimeSpan.FromDays(1)));
    }

    public void Dispose() => _dir.Dispose();
}
