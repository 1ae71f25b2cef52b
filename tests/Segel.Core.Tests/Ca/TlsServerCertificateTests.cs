using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// TLS server certificates for the regency's own hosts (issue 25.3: Segel behind nginx on a certificate its own CA
/// issued). Judged by OpenSSL as a TLS client judges them: purpose sslserver, the host name checked against the
/// subjectAltName, the chain a server sends.
/// </summary>
public sealed class TlsServerCertificateTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_gets_a_server_certificate_openssl_accepts_for_each_named_host_and_nothing_else(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        TlsServerCertificate issued = await test.Ca.Certificates.IssueTlsServerAsync(Principal.Console, ["PKI.Tanahbumbukab.go.id.", "segel.internal", "segel.internal"],
            null, "cli");

        string chain = test.Directory.Write("chain.pem", issued.ChainPem);
        string key = test.Directory.Write("key.pem", issued.PrivateKeyPem!);
        string leaf = test.Directory.Write("leaf.pem", issued.Certificate.Pem!);
        LoadedAuthority root = await test.Ca.Ring.GetActiveAsync(AuthorityRole.RootCa);
        string rootPem = test.Directory.Write("root.pem", root.Certificate.ExportCertificatePem());
        string at = test.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string Verify(string host) => Tool.OpenSsl("verify", "-attime", at, "-CAfile", rootPem, "-untrusted", chain, "-purpose", "sslserver",
            "-verify_hostname", host, leaf).Output;

        Assert.Contains("leaf.pem: OK", Verify("pki.tanahbumbukab.go.id"), StringComparison.Ordinal);
        Assert.Contains("leaf.pem: OK", Verify("segel.internal"), StringComparison.Ordinal);
        Assert.DoesNotContain(": OK", Verify("mail.tanahbumbukab.go.id"), StringComparison.Ordinal);
        string text = Tool.OpenSslOk("x509", "-noout", "-text", "-in", leaf);
        Assert.Contains("TLS Web Server Authentication", text, StringComparison.Ordinal);
        Assert.Contains("DNS:pki.tanahbumbukab.go.id, DNS:segel.internal", text, StringComparison.Ordinal);
        Assert.DoesNotContain("E-mail Protection", text, StringComparison.Ordinal);
        Assert.Contains("CA:FALSE", text, StringComparison.Ordinal);
        Assert.Equal(Tool.OpenSslOk("pkey", "-in", key, "-pubout"), Tool.OpenSslOk("x509", "-in", leaf, "-noout", "-pubkey"));
        Assert.Equal("tls-server", issued.Certificate.Profile);
        Assert.Equal(TimeSpan.FromDays(CaSettings.TlsServerValidityDays), issued.Certificate.NotAfter - issued.Certificate.NotBefore);
        // The chain a server sends: the certificate, then its CAs, never the root the client already holds.
        var sent = new X509Certificate2Collection();
        sent.ImportFromPem(issued.ChainPem);
        Assert.Equal(2, sent.Count);
        Assert.DoesNotContain(sent, c => c.Subject == c.Issuer);

        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            CertificateRecord stored = await db.Certificates.SingleAsync(c => c.SerialHex == issued.Certificate.Serial);
            Assert.Null(stored.EmployeeId);
            AuditRecord audit = await db.AuditRecords.SingleAsync(a => a.Action == "certificate.issued" && a.Subject == issued.Certificate.Serial);
            using JsonDocument data = JsonDocument.Parse(audit.Details!);
            Assert.Equal("tls-server", data.RootElement.GetProperty("route").GetString());
            Assert.Equal("generated-key", data.RootElement.GetProperty("keySource").GetString());
            Assert.Equal(["pki.tanahbumbukab.go.id", "segel.internal"], data.RootElement.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        }

        // Revoked like any certificate; OpenSSL then refuses it with the CRL.
        await test.Ca.Certificates.RevokeAsync(Principal.Console, issued.Certificate.Serial, "superseded", null, "cli");
        Assert.Equal("revoked", (await test.Ca.Certificates.GetAsync(Principal.Console, issued.Certificate.Serial, null)).Status);
    }

    [Fact]
    public async Task From_a_csr_the_key_stays_with_the_web_server()
    {
        using TestCa test = await TestCa.CreateAsync();
        string csr = Encoding.ASCII.GetString(Csr.Create("anything", null));
        TlsServerCertificate issued = await test.Ca.Certificates.IssueTlsServerAsync(Principal.Console, ["segel.internal"], csr, "cli");

        Assert.Null(issued.PrivateKeyPem);
        using var certificate = X509Certificate2.CreateFromPem(issued.Certificate.Pem);
        Assert.Equal("CN=segel.internal", certificate.SubjectName.Name.Split(", ")[0]);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.X509Certificates.CertificateRequest.LoadSigningRequestPem(csr,
            System.Security.Cryptography.HashAlgorithmName.SHA256).PublicKey.EncodedKeyValue.RawData), Convert.ToHexString(certificate.PublicKey.EncodedKeyValue.RawData));
    }

    [Fact]
    public async Task Wildcards_addresses_bad_names_and_people_other_than_administrators_are_refused_and_nothing_is_issued()
    {
        using TestCa test = await TestCa.CreateAsync();
        async Task<SegelException> Refused(Principal by, params string[] hosts) =>
            await Assert.ThrowsAsync<SegelException>(() => test.Ca.Certificates.IssueTlsServerAsync(by, hosts, null, "cli"));

        foreach (string[] hosts in new[] { [], ["*.tanahbumbukab.go.id"], ["10.0.0.5"], ["::1"], ["-bad.example"], ["bad_name.example"], ["a..b"], [""],
            [new string('a', 64) + ".example"], Enumerable.Range(0, SubjectValidation.MaxHostNames + 1).Select(i => $"h{i}.example").ToArray() })
        {
            SegelException e = await Refused(Principal.Console, hosts);
            Assert.Equal((ErrorKind.Invalid, "host"), (e.Kind, e.Field));
        }
        SegelException forbidden = await Refused(new Principal("officer", Role.RaOfficer), "segel.internal");
        Assert.Equal(ErrorKind.Forbidden, forbidden.Kind);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(0, await db.Certificates.CountAsync(c => c.Profile == "tls-server"));
    }
}
