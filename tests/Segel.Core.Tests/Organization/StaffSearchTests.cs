using System.Text;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Organization;

/// <summary>
/// The staff list finds people the way they are typed — any case, accents or apostrophes or not, any part of the
/// name, NIP or e-mail, every word — and filters by certificate status and work unit, the same on both databases.
/// </summary>
public sealed class StaffSearchTests
{
    private static readonly Actor Officer = new("test:officer", null);
    private static readonly Principal Auditor = new("auditor", Role.Auditor);

    private const string Csv = "nip,nik,name,position,agency_code,agency_name,work_unit,email\n" +
        "198001012005011001,6310010101800001,Muhammad Hakim,Analis,DISKOMINFO,Dinas Komunikasi dan Informatika,Bidang Persandian,hakim@tanahbumbukab.go.id\n" +
        "198001012005011002,6310010101800002,Siti Hakimah,Analis,DISKOMINFO,Dinas Komunikasi dan Informatika,Bidang Persandian,siti.hakimah@tanahbumbukab.go.id\n" +
        "198001012005011003,6310010101800003,Ahmad Rizky Maulana,Arsiparis,DISKOMINFO,Dinas Komunikasi dan Informatika,Sekretariat,ahmad.maulana@tanahbumbukab.go.id\n" +
        "198001012005011004,6310010101800004,Nur'aini Şahin,Perawat,DINKES,Dinas Kesehatan,,nuraini@tanahbumbukab.go.id\n" +
        "198001012005011005,6310010101800005,Élise Pratiwi,Perawat,DINKES,Dinas Kesehatan,,elise@tanahbumbukab.go.id\n";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Search_ignores_case_and_accents_matches_any_part_and_every_word(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), Actor.System);

        async Task<string[]> Find(string search) =>
            [.. (await test.Ca.Employees.ListAsync(new StaffQuery(Search: search), Auditor)).Items.Select(e => e.Name)];

        Assert.Equal(["Muhammad Hakim", "Siti Hakimah"], await Find("hakim"));
        Assert.Equal(["Muhammad Hakim", "Siti Hakimah"], await Find("HAKIM"));
        Assert.Equal(["Ahmad Rizky Maulana"], await Find("ahmad maulana"));
        Assert.Equal(["Ahmad Rizky Maulana"], await Find("  maulana   AHMAD "));
        Assert.Equal(["Nur'aini Şahin"], await Find("nuraini sahin"));
        Assert.Equal(["Nur'aini Şahin"], await Find("Nur’aini"));
        Assert.Equal(["Élise Pratiwi"], await Find("elise"));
        Assert.Equal(["Élise Pratiwi"], await Find("Élise"));
        Assert.Equal(["Ahmad Rizky Maulana"], await Find("2005011003"));
        Assert.Equal(["Siti Hakimah"], await Find("siti.hakimah@"));
        Assert.Empty(await Find("hakim ahmad"));
        Assert.Equal(5, (await test.Ca.Employees.ListAsync(new StaffQuery(Search: "  "), Auditor)).Total);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Status_and_work_unit_filters_find_who_holds_what(string provider)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using TestCa test = await TestCa.CreateAsync(provider, start: now.AddDays(-800));
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), Actor.System);
        async Task Issue(string nip, DateTimeOffset at, bool revoke = false)
        {
            test.Time.SetUtcNow(at);
            long employee;
            await using (Storage.SegelDbContext db = test.Ca.Database.CreateContext())
            {
                employee = db.Employees.Where(e => e.Nip == nip).Select(e => e.Id).Single();
            }
            IssuedCertificate issued = await test.Ca.Issuance.IssueFromCsrAsync(Csr.Create(), new HolderDetails(Nip: nip), CertificateProfile.Subscriber, Officer,
                IssuanceGrounds.Direct(employee, "Uji pencarian pegawai"));
            if (revoke)
            {
                await test.Ca.Revocation.RevokeAsync(issued.Record.SerialHex, RevocationReason.AffiliationChanged, Officer);
            }
        }
        await Issue("198001012005011001", now.AddDays(-800));            // Hakim: ran out 70 days ago
        await Issue("198001012005011002", now.AddDays(-700));            // Siti: runs out within 90 days
        await Issue("198001012005011003", now.AddDays(-10));             // Ahmad: valid
        await Issue("198001012005011004", now.AddDays(-10), revoke: true); // Nur'aini: revoked; Élise: none
        test.Time.SetUtcNow(now);

        async Task<string[]> With(string? status, int? unit = null) =>
            [.. (await test.Ca.Employees.ListAsync(new StaffQuery(Status: status, WorkUnit: unit), Auditor)).Items.Select(e => e.Name)];

        Assert.Equal(["Élise Pratiwi"], await With("none"));
        Assert.Equal(["Ahmad Rizky Maulana", "Siti Hakimah"], await With("valid"));
        Assert.Equal(["Siti Hakimah"], await With("expiring"));
        Assert.Equal(["Muhammad Hakim"], await With("expired"));
        Assert.Equal(["Nur'aini Şahin"], await With("revoked"));
        Assert.Equal(["Nur'aini Şahin"], await With("REVOKED"));
        var error = await Assert.ThrowsAsync<Errors.SegelException>(() => With("lapsed"));
        Assert.Equal("status", error.Field);

        IReadOnlyList<WorkUnitView> units = await test.Ca.Agencies.WorkUnitsAsync("DISKOMINFO", Auditor);
        int persandian = units.Single(u => u.Name == "Bidang Persandian").Id;
        Assert.Equal(["Muhammad Hakim", "Siti Hakimah"], await With(null, persandian));
        Assert.Equal(["Siti Hakimah"], await With("valid", persandian));
    }
}
