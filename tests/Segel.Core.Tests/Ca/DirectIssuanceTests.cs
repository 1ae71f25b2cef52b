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
/// Pasal 7 and 10(1): no holder's certificate around the RA for someone not on the register. The doors'
/// issuance (<c>segel cert issue</c>, <c>POST /api/v1/certificates</c>) takes the employee's NIP and a written
/// reason; the register, not the caller, decides what the certificate names.
/// </summary>
public sealed class DirectIssuanceTests
{
    private const string Reason = "Aplikasi SIMPEG perlu sertifikat sebelum loket RA dibuka";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_an_employee_on_file_gets_a_certificate_naming_the_register_and_the_reason_is_kept(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(LifecycleWorld.Csv)), Actor.System);
        Certificates certificates = test.Ca.Certificates;
        string csr = Encoding.ASCII.GetString(Csr.Create("Nama Lain", "orang@gmail.com"));
        async Task<SegelException> Refused(HolderDetails details, string? reason = Reason) =>
            await Assert.ThrowsAsync<SegelException>(() => certificates.IssueFromCsrAsync(Principal.Console, csr, null, details, reason, "cli"));

        // The report's attack: an address off the official domain, no employee.
        SegelException e = await Refused(new HolderDetails("Orang Luar", "orang@gmail.com"));
        Assert.Equal((ErrorKind.Invalid, "nip"), (e.Kind, e.Field));
        e = await Refused(new HolderDetails(Nip: "198001012005011001"));
        Assert.Equal((ErrorKind.Prohibited, "nip"), (e.Kind, e.Field));
        e = await Refused(new HolderDetails(Email: "budi@gmail.com", Nip: LifecycleWorld.BudiNip));
        Assert.Equal((ErrorKind.Prohibited, "email"), (e.Kind, e.Field));
        e = await Refused(new HolderDetails(Email: "siti@tanahbumbukab.go.id", Nip: LifecycleWorld.BudiNip));
        Assert.Equal((ErrorKind.Prohibited, "email"), (e.Kind, e.Field));
        e = await Refused(new HolderDetails(Name: "Siti Aminah", Nip: LifecycleWorld.BudiNip));
        Assert.Equal((ErrorKind.Prohibited, "name"), (e.Kind, e.Field));
        e = await Refused(new HolderDetails(Unit: "Dinas Kesehatan", Nip: LifecycleWorld.BudiNip));
        Assert.Equal((ErrorKind.Prohibited, "unit"), (e.Kind, e.Field));
        foreach (string? missing in new[] { null, "", "   ", "perlu", new string('x', DirectIssuance.MaxReasonLength + 1), "ada\u0007bel di sini" })
        {
            e = await Refused(new HolderDetails(Nip: LifecycleWorld.BudiNip), missing);
            Assert.Equal((ErrorKind.Invalid, "reason"), (e.Kind, e.Field));
        }
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(0, await db.Certificates.CountAsync(c => c.Profile == "subscriber"));
        }

        var token = new Principal("api:simpeg", Role.None, Scopes: new HashSet<string> { ApiScopes.CertificatesIssue });
        CertificateView issued = await certificates.IssueFromCsrAsync(token, csr, null,
            new HolderDetails(Email: "BUDI@tanahbumbukab.go.id", Nip: LifecycleWorld.BudiNip), $"  {Reason}  ", "10.0.0.7");
        using var certificate = X509Certificate2.CreateFromPem(issued.Pem);
        string text = Tool.OpenSslOk("x509", "-noout", "-subject", "-ext", "subjectAltName", "-in", test.Directory.Write("budi.pem", issued.Pem!));
        Assert.Contains("CN=Budi Santoso", text.Replace(" = ", "=", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("serialNumber=" + LifecycleWorld.BudiNip, text.Replace(" = ", "=", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("OU=Dinas Komunikasi dan Informatika", text.Replace(" = ", "=", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("email:budi@tanahbumbukab.go.id", text, StringComparison.Ordinal);
        Assert.DoesNotContain("gmail", text, StringComparison.Ordinal);

        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            CertificateRecord stored = await db.Certificates.SingleAsync(c => c.SerialHex == issued.Serial);
            long budi = await db.Employees.Where(x => x.Nip == LifecycleWorld.BudiNip).Select(x => x.Id).SingleAsync();
            Assert.Equal(budi, stored.EmployeeId);
            AuditRecord audit = await db.AuditRecords.SingleAsync(a => a.Action == "certificate.issued" && a.Subject == issued.Serial);
            Assert.Equal("api:simpeg", audit.Actor);
            Assert.Equal("10.0.0.7", audit.Origin);
            using JsonDocument data = JsonDocument.Parse(audit.Details!);
            Assert.Equal("direct", data.RootElement.GetProperty("route").GetString());
            Assert.Equal(Reason, data.RootElement.GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task An_address_the_regency_no_longer_counts_as_official_is_refused_and_a_generated_key_follows_the_same_rules()
    {
        using TestCa test = await TestCa.CreateAsync();
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(LifecycleWorld.Csv)), Actor.System);
        Certificates certificates = test.Ca.Certificates;
        (CertificateView issued, byte[] pkcs12) = await certificates.IssueWithGeneratedKeyAsync(Principal.Console, new HolderDetails(Nip: LifecycleWorld.SitiNip),
            "ra-officer", "sandi-p12-panjang", Reason, "cli");
        Assert.Equal("ra-officer", issued.Profile);
        Assert.Contains("Siti Aminah", issued.Subject, StringComparison.Ordinal);
        Assert.NotEmpty(pkcs12);
        SegelException e = await Assert.ThrowsAsync<SegelException>(() => certificates.IssueWithGeneratedKeyAsync(Principal.Console,
            new HolderDetails(Nip: "198001012005011001"), null, "sandi-p12-panjang", Reason, "cli"));
        Assert.Equal(ErrorKind.Prohibited, e.Kind);

        await test.Ca.RegencySettings.UpdateAsync(["pemkab.example.id"], ["30"], Principal.Console, "cli");
        e = await Assert.ThrowsAsync<SegelException>(() => certificates.IssueWithGeneratedKeyAsync(Principal.Console,
            new HolderDetails(Nip: LifecycleWorld.DewiNip), null, "sandi-p12-panjang", Reason, "cli"));
        Assert.Equal((ErrorKind.Prohibited, "email"), (e.Kind, e.Field));
    }
}
