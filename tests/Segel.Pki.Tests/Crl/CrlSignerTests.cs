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
