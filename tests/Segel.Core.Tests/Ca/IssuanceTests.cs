using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

public sealed class IssuanceTests
{
    private static readonly Actor Officer = new("test:officer");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Csr_certificate_is_valid_exactly_two_years_and_verifies_with_openssl(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(Nip: "198507152010011003"), CertificateProfile.Subscriber, Officer);

        Assert.Equal(issued.Certificate.NotBefore.AddYears(2), issued.Certificate.NotAfter);
        Assert.Equal(test.Time.GetUtcNow().ToUnixTimeSeconds(), new DateTimeOffset(issued.Certificate.NotBefore).ToUnixTimeSeconds());
        string leaf = test.Directory.Write("leaf.pem", issued.Certificate.ExportCertificatePem());
        string chain = test.Directory.Write("chain.pem", await ChainPemAsync(test));
        Assert.Contains("leaf.pem: OK", Tool.OpenSslOk("verify", "-CAfile", chain, leaf), StringComparison.Ordinal);
        string text = Tool.OpenSslOk("x509", "-noout", "-text", "-in", leaf);
        Assert.Contains("serialNumber = 198507152010011003", text, StringComparison.Ordinal);
        Assert.Contains("OU = Dinas Kominfo", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Issuance_is_stored_with_its_audit_record(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(), CertificateProfile.Subscriber, Officer);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        CertificateRecord stored = await db.Certificates.SingleAsync(c => c.SerialHex == issued.Record.SerialHex);
        Assert.Equal("budi@tanahbumbukab.go.id", stored.Email);
        Assert.Equal(issued.Certificate.RawData, stored.Der);
        AuditRecord audit = await db.AuditRecords.SingleAsync(a => a.Action == "certificate.issued" && a.Subject == stored.SerialHex);
        Assert.Equal("test:officer", audit.Actor);
    }

    [Fact]
    public async Task Profile_decides_extensions_whatever_the_csr_asks_for()
    {
        using TestCa test = await TestCa.CreateAsync();
        byte[] csr = Csr.Create(extra: r =>
        {
            r.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            r.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        });
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(csr, new HolderDetails(), CertificateProfile.Subscriber, Officer);
        Assert.False(issued.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        OidCollection ekus = issued.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages;
        Assert.DoesNotContain(ekus.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.Contains(ekus.Cast<Oid>(), o => o.Value == Oids.EmailProtection);
    }

    [Fact]
    public async Task Behind_https_a_certificate_still_points_relying_parties_to_plain_http()
    {
        using TestCa test = await TestCa.CreateAsync(configure: o => o.PublicBaseUrl = "https://pki.tanahbumbukab.go.id");
        IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(), CertificateProfile.Subscriber, Officer);
        // Read by openssl, not by us: what Windows, Acrobat and openssl itself would fetch.
        string text = Tool.OpenSslOk("x509", "-noout", "-text", "-in", test.Directory.Write("leaf.pem", issued.Certificate.ExportCertificatePem()));
        Assert.Contains("URI:http://pki.tanahbumbukab.go.id/crl/issuing-ca.crl", text, StringComparison.Ordinal);
        Assert.Contains("OCSP - URI:http://pki.tanahbumbukab.go.id/ocsp", text, StringComparison.Ordinal);
        Assert.Contains("CA Issuers - URI:http://pki.tanahbumbukab.go.id/ca/issuing-ca.crt", text, StringComparison.Ordinal);
        Assert.Contains("CPS: https://pki.tanahbumbukab.go.id/cps", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Generated_key_comes_back_as_pkcs12_that_openssl_opens(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider, o => o.Ca.SubscriberAlgorithm = "rsa2048");
        (IssuedCertificate issued, byte[] pkcs12) = await test.Ca.Issuance.IssueWithGeneratedKeyAsync(
            new HolderDetails("Siti Aminah", "siti@tanahbumbukab.go.id", "Dinas Kesehatan"), CertificateProfile.Subscriber, "rahasia-sekali", Officer);
        string p12 = test.Directory.Write("siti.p12", pkcs12);
        string dump = Tool.OpenSslOk("pkcs12", "-in", p12, "-passin", "pass:rahasia-sekali", "-nodes", "-info");
        Assert.Contains("BEGIN PRIVATE KEY", dump, StringComparison.Ordinal);
        Assert.Equal(3, dump.Split("BEGIN CERTIFICATE").Length - 1);
        Assert.Contains("PBES2", dump, StringComparison.Ordinal);
        Assert.NotEqual(0, Tool.OpenSsl("pkcs12", "-in", p12, "-passin", "pass:salah", "-nodes").ExitCode);
        Assert.Contains("Key Encipherment", Tool.OpenSslOk("x509", "-noout", "-text", "-in", test.Directory.Write("c.pem", issued.Certificate.ExportCertificatePem())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_that_would_outlive_the_issuing_ca_is_refused()
    {
        using TestCa test = await TestCa.CreateAsync();
        test.Time.Advance(TimeSpan.FromDays(365 * 9));
        var e = await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(), CertificateProfile.Subscriber, Officer));
        Assert.Equal(ErrorKind.Refused, e.Kind);
        Assert.Contains("past the issuing CA's own expiry", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "budi@tanahbumbukab.go.id", null, "name")]
    [InlineData("Budi", "not-an-email", null, "email")]
    [InlineData("Budi", "Budi <budi@tanahbumbukab.go.id>", null, "email")]
    [InlineData("Budi", "bùdi@tanahbumbukab.go.id", null, "email")]
    [InlineData("Budi", "budi@tanahbumbukab.go.id", "12345", "nip")]
    [InlineData("Budi", "budi@tanahbumbukab.go.id", "19850715201001100X", "nip")]
    public async Task Bad_holder_details_are_refused_naming_the_field(string name, string email, string? nip, string field)
    {
        using TestCa test = await TestCa.CreateAsync();
        var e = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Issuance.IssueWithGeneratedKeyAsync(
            new HolderDetails(name, email, null, nip), CertificateProfile.Subscriber, "password123", Officer));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Equal(field, e.Field);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(3, await db.Certificates.CountAsync()); // nothing beyond initialisation: issuing CA, OCSP responder, TSA
    }

    [Fact]
    public async Task Service_profiles_cannot_be_issued_to_people()
    {
        using TestCa test = await TestCa.CreateAsync();
        var e = await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(), CertificateProfile.Ocsp, Officer));
        Assert.Equal("profile", e.Field);
    }

    [Fact]
    public async Task Short_pkcs12_password_is_refused()
    {
        using TestCa test = await TestCa.CreateAsync();
        var e = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Issuance.IssueWithGeneratedKeyAsync(
            new HolderDetails("Budi", "budi@tanahbumbukab.go.id"), CertificateProfile.Subscriber, "short", Officer));
        Assert.Equal("password", e.Field);
    }

    [Fact]
    public async Task Garbage_csr_is_an_invalid_input_error()
    {
        using TestCa test = await TestCa.CreateAsync();
        var e = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Issuance.IssueFromCsrAsync("hello"u8.ToArray(), new HolderDetails(), CertificateProfile.Subscriber, Officer));
        Assert.Equal("csr", e.Field);
    }

    internal static async Task<string> ChainPemAsync(TestCa test)
    {
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        LoadedAuthority root = await test.Ca.Ring.GetActiveAsync(AuthorityRole.RootCa);
        return issuing.Certificate.ExportCertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n";
    }
}
