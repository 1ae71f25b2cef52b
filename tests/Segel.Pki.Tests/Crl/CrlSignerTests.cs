using Segel.Pki.Certificates;
using Segel.Pki.Crl;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Pki.Tests.Crl;

public sealed class CrlSignerTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    [Fact]
    public void Crl_lists_serials_with_reasons_and_verifies_with_openssl()
    {
        using var dir = new TempDirectory();
        byte[] serial = SerialNumber.New();
        byte[] der = CrlSigner.Sign(pki.Issuing, pki.IssuingKey, 7, PkiFixture.Now, PkiFixture.Now.AddDays(7),
        [
            new RevokedEntry(serial, PkiFixture.Now.AddMinutes(-5), RevocationReason.AffiliationChanged),
            new RevokedEntry(SerialNumber.New(), PkiFixture.Now.AddMinutes(-4), RevocationReason.Unspecified),
        ]);
        string crl = dir.Write("c.crl", der);
        string text = Tool.OpenSslOk("crl", "-inform", "DER", "-in", crl, "-noout", "-text");
        Assert.Contains(SerialNumber.ToHex(serial), text, StringComparison.Ordinal);
        Assert.Contains("Affiliation Changed", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 CRL Number: \n                7", text.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // RFC 5280 §5.3.1: no reasonCode extension for "unspecified".
        Assert.Equal(1, text.Split("CRL Reason Code").Length - 1);
        Assert.Contains("verify OK", Tool.OpenSslOk("crl", "-inform", "DER", "-in", crl, "-CAfile", pki.ChainPem(dir), "-noout"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300)]
    public void Crl_is_byte_for_byte_what_dotnets_own_builder_makes(int count)
    {
        // RSA PKCS#1 v1.5 signatures are deterministic, so the whole CRL can be compared, not just the TBS.
        // .NET's builder refuses aACompromise (10), which RFC 5280 allows; that one is checked with openssl below.
        RevocationReason[] reasons = Enum.GetValues<RevocationReason>().Where(r => r != RevocationReason.AaCompromise).ToArray();
        var entries = Enumerable.Range(0, count).Select(i => new RevokedEntry(SerialNumber.New(),
            PkiFixture.Now.AddMinutes(-i), reasons[i % reasons.Length])).ToList();
        // One entry past 2049, to cover the switch from UTCTime to GeneralizedTime.
        if (count > 1)
        {
            entries[1] = entries[1] with { RevokedAt = new DateTimeOffset(2051, 3, 4, 5, 6, 7, TimeSpan.Zero) };
        }
        var builder = new System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder();
        foreach (RevokedEntry e in entries)
        {
            builder.AddEntry(e.Serial, e.RevokedAt, e.Reason == RevocationReason.Unspecified ? null : (System.Security.Cryptography.X509Certificates.X509RevocationReason)(int)e.Reason);
        }
        byte[] expected = builder.Build(pki.Issuing.SubjectName, new Segel.Pki.Keys.KeySignatureGenerator(pki.IssuingKey), 42,
            PkiFixture.Now.AddDays(7), System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.X509Certificates.X509AuthorityKeyIdentifierExtension.CreateFromCertificate(pki.Issuing, true, false), PkiFixture.Now);

        byte[] ours = CrlSigner.Sign(pki.Issuing, pki.IssuingKey, 42, PkiFixture.Now, PkiFixture.Now.AddDays(7), entries);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(ours));
    }

    [Fact]
    public void Aa_compromise_is_published_too()
    {
        using var dir = new TempDirectory();
        string crl = dir.Write("aa.crl", CrlSigner.Sign(pki.Issuing, pki.IssuingKey, 3, PkiFixture.Now, PkiFixture.Now.AddDays(7),
            [new RevokedEntry(SerialNumber.New(), PkiFixture.Now, RevocationReason.AaCompromise)]));
        Assert.Contains("AA Compromise", Tool.OpenSslOk("crl", "-inform", "DER", "-in", crl, "-noout", "-text"), StringComparison.Ordinal);
    }

    [Fact]
    public void Large_crl_verifies_with_openssl()
    {
        using var dir = new TempDirectory();
        var entries = Enumerable.Range(0, 50_000).Select(i => new RevokedEntry(SerialNumber.New(), PkiFixture.Now, RevocationReason.KeyCompromise));
        string crl = dir.Write("big.crl", CrlSigner.Sign(pki.Issuing, pki.IssuingKey, 9, PkiFixture.Now, PkiFixture.Now.AddDays(7), entries));
        Assert.Contains("verify OK", Tool.OpenSslOk("crl", "-inform", "DER", "-in", crl, "-CAfile", pki.ChainPem(dir), "-noout"), StringComparison.Ordinal);
    }

    [Fact]
    public void Revocation_reasons_exclude_certificate_hold()
    {
        Assert.False(RevocationReasons.TryParse("certificateHold", out _));
        Assert.False(RevocationReasons.TryParse("removeFromCRL", out _));
        Assert.False(RevocationReasons.TryParse("6", out _));
        Assert.True(RevocationReasons.TryParse("key-compromise", out RevocationReason r) && r == RevocationReason.KeyCompromise);
        Assert.True(RevocationReasons.TryParse("cACompromise", out r) && r == RevocationReason.CaCompromise);
        Assert.Equal("cessationOfOperation", RevocationReason.CessationOfOperation.ToRfcName());
    }
}
