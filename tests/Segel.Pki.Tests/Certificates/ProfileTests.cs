using System.Security.Cryptography.X509Certificates;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.Pki.Tests.Certificates;

public sealed class ProfileTests(PkiFixture pki) : IClassFixture<PkiFixture>
{
    [Fact]
    public void Subscriber_certificate_verifies_with_openssl_for_signing_and_email()
    {
        using var dir = new TempDirectory();
        // RSA: openssl's smimeencrypt purpose asks for keyEncipherment, which only RSA holders get.
        X509Certificate2 leaf = pki.Issue(CertificateProfile.Subscriber, KeyAlgorithm.Rsa2048);
        string leafPem = dir.Write("leaf.pem", leaf.ExportCertificatePem());
        string chain = pki.ChainPem(dir);
        Assert.Contains("leaf.pem: OK", Tool.OpenSslOk("verify", "-CAfile", chain, leafPem), StringComparison.Ordinal);
        Assert.Contains("leaf.pem: OK", Tool.OpenSslOk("verify", "-purpose", "smimesign", "-CAfile", chain, leafPem), StringComparison.Ordinal);
        Assert.Contains("leaf.pem: OK", Tool.OpenSslOk("verify", "-purpose", "smimeencrypt", "-CAfile", chain, leafPem), StringComparison.Ordinal);
    }

    [Fact]
    public void Subscriber_certificate_carries_the_extensions_relying_software_checks()
    {
        using var dir = new TempDirectory();
        string text = Tool.OpenSslOk("x509", "-noout", "-text", "-in", dir.Write("leaf.pem", pki.Issue(CertificateProfile.Subscriber, KeyAlgorithm.Rsa2048).ExportCertificatePem()));
        Assert.Contains("Digital Signature, Non Repudiation, Key Encipherment", text, StringComparison.Ordinal);
        Assert.Contains("E-mail Protection, 1.3.6.1.5.5.7.3.36", text, StringComparison.Ordinal);
        Assert.Contains("URI:http://segel.test/crl/issuing-ca.crl", text, StringComparison.Ordinal);
        Assert.Contains("OCSP - URI:http://segel.test/ocsp", text, StringComparison.Ordinal);
        Assert.Contains("CA Issuers - URI:http://segel.test/ca/issuing-ca.crt", text, StringComparison.Ordinal);
        Assert.Contains("Policy: 2.25.1234", text, StringComparison.Ordinal);
        Assert.Contains("CPS: http://segel.test/cps", text, StringComparison.Ordinal);
        Assert.Contains("email:budi@tanahbumbukab.go.id", text, StringComparison.Ordinal);
        Assert.Contains("CA:FALSE", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ec_subscriber_gets_key_agreement_instead_of_key_encipherment()
    {
        var usage = pki.Issue(CertificateProfile.Subscriber, KeyAlgorithm.EcdsaP256).Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyAgreement));
        Assert.False(usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyEncipherment));
        Assert.True(usage.Critical);
    }

    [Fact]
    public void Ocsp_responder_certificate_has_ocsp_signing_and_nocheck()
    {
        using var dir = new TempDirectory();
        string text = Tool.OpenSslOk("x509", "-noout", "-text", "-in", dir.Write("ocsp.pem", pki.Issue(CertificateProfile.Ocsp, email: null).ExportCertificatePem()));
        Assert.Contains("OCSP Signing", text, StringComparison.Ordinal);
        Assert.Contains("OCSP No Check", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tsa_certificate_has_only_critical_time_stamping()
    {
        using var dir = new TempDirectory();
        string pem = dir.Write("tsa.pem", pki.Issue(CertificateProfile.Tsa, email: null).ExportCertificatePem());
        string text = Tool.OpenSslOk("x509", "-noout", "-text", "-in", pem);
        Assert.Contains("X509v3 Extended Key Usage: critical", text, StringComparison.Ordinal);
        Assert.Contains("Time Stamping", text, StringComparison.Ordinal);
        Assert.Contains("tsa.pem: OK", Tool.OpenSslOk("verify", "-purpose", "timestampsign", "-CAfile", pki.ChainPem(dir), pem), StringComparison.Ordinal);
    }

    [Fact]
    public void Issuing_ca_is_limited_to_path_length_zero_and_root_to_one()
    {
        var issuing = pki.Issuing.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        var root = pki.Root.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(issuing.CertificateAuthority && issuing.HasPathLengthConstraint && issuing.PathLengthConstraint == 0 && issuing.Critical);
        Assert.True(root.CertificateAuthority && root.PathLengthConstraint == 1);
    }

    [Fact]
    public void Subject_is_encoded_country_first_and_carries_the_nip_as_serial_number()
    {
        var subject = new SubjectInfo("Budi Santoso", "Pemerintah Kabupaten Tanah Bumbu", "ID", "Dinas Kominfo", null, "198507152010011003");
        using var dir = new TempDirectory();
        using SoftwareSigningKey key = SoftwareSigningKey.Generate("soft:x", KeyAlgorithm.EcdsaP256);
        X509Certificate2 cert = pki.Signer.Sign(new CertificateTemplate(subject.ToDistinguishedName(), key.PublicKey, CertificateProfile.Subscriber,
            PkiFixture.Now, PkiFixture.Now.AddYears(2), SerialNumber.New()));
        string printed = Tool.OpenSslOk("x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", dir.Write("c.pem", cert.ExportCertificatePem()));
        // RFC 2253 prints the last RDN first: serialNumber last in DER, C first.
        Assert.Contains("serialNumber=198507152010011003,CN=Budi Santoso,OU=Dinas Kominfo,O=Pemerintah Kabupaten Tanah Bumbu,C=ID", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Validity_past_the_issuing_ca_is_refused_not_shortened()
    {
        using SoftwareSigningKey key = SoftwareSigningKey.Generate("soft:x", KeyAlgorithm.EcdsaP256);
        var template = new CertificateTemplate(PkiFixture.Subject("Late").ToDistinguishedName(), key.PublicKey, CertificateProfile.Subscriber,
            PkiFixture.Now.AddYears(9), PkiFixture.Now.AddYears(11), SerialNumber.New());
        var e = Assert.Throws<CertificateIssuanceException>(() => pki.Signer.Sign(template));
        Assert.Contains("past the issuing CA's own expiry", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serial_numbers_are_positive_sixteen_octets_and_distinct()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 2000; i++)
        {
            byte[] serial = SerialNumber.New();
            Assert.Equal(16, serial.Length);
            Assert.InRange(serial[0], 1, 0x7F);
            Assert.True(seen.Add(SerialNumber.ToHex(serial)));
        }
    }

    [Theory]
    [InlineData("0x00AB:CD", "ABCD")]
    [InlineData("abcd", "ABCD")]
    [InlineData("00 00 01", "01")]
    public void Serial_typed_by_a_person_is_normalised(string typed, string expected)
    {
        Assert.True(SerialNumber.TryParseHex(typed, out byte[] serial));
        Assert.Equal(expected, SerialNumber.Normalise(serial));
    }

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("0x")]
    public void Serial_that_is_not_hex_is_rejected(string typed) => Assert.False(SerialNumber.TryParseHex(typed, out _));
}
