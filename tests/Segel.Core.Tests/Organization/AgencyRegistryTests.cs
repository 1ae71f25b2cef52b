using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Organization;

public sealed class AgencyRegistryTests
{
    private static readonly Principal Admin = new("admin", Role.Admin);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_keeps_agencies_and_work_units_and_every_change_is_audited(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        AgencyRegistry registry = test.Ca.Agencies;
        AgencyInfo agency = await registry.CreateAsync(" bappeda ", "Badan Perencanaan", Admin, "203.0.113.7");
        Assert.Equal("BAPPEDA", agency.Code);
        await registry.RenameAsync("bappeda", "Badan Perencanaan Pembangunan Daerah", Admin, null);
        WorkUnitView unit = await registry.AddWorkUnitAsync("BAPPEDA", "Bidang Perencanaan", Admin, null);
        await registry.AddWorkUnitAsync("BAPPEDA", "Sekretariat", Admin, null);
        await registry.RenameWorkUnitAsync("BAPPEDA", unit.Id, "Bidang Perencanaan Ekonomi", Admin, null);

        SegelException same = await Assert.ThrowsAsync<SegelException>(() => registry.AddWorkUnitAsync("BAPPEDA", "sekretariat", Admin, null));
        Assert.Equal(ErrorKind.Conflict, same.Kind);
        SegelException twice = await Assert.ThrowsAsync<SegelException>(() => registry.CreateAsync("BAPPEDA", "Lain", Admin, null));
        Assert.Equal(ErrorKind.Conflict, twice.Kind);

        // The import finds the work unit by name, whatever its case, and then it cannot be removed.
        string csv = "nip,nik,name,position,agency_code,agency_name,work_unit,email\n" +
            "198507152010011003,6310011507850001,Budi Santoso,,BAPPEDA,,bidang perencanaan ekonomi,budi@tanahbumbukab.go.id\n";
        Assert.True((await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Admin, null)).Applied);
        IReadOnlyList<WorkUnitView> units = await registry.WorkUnitsAsync("BAPPEDA", Admin);
        Assert.Equal(2, units.Count);
        Assert.Equal(1, units.Single(u => u.Id == unit.Id).Employees);
        SegelException busy = await Assert.ThrowsAsync<SegelException>(() => registry.RemoveWorkUnitAsync("BAPPEDA", unit.Id, Admin, null));
        Assert.Equal(ErrorKind.Refused, busy.Kind);
        await registry.RemoveWorkUnitAsync("BAPPEDA", units.Single(u => u.Id != unit.Id).Id, Admin, null);

        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal("Badan Perencanaan Pembangunan Daerah", (await db.Agencies.SingleAsync()).Name);
        string[] actions = await db.AuditRecords.Where(a => a.Action.StartsWith("agency.") || a.Action.StartsWith("work-unit.")).OrderBy(a => a.Sequence).Select(a => a.Action).ToArrayAsync();
        Assert.Equal(["agency.created", "agency.renamed", "work-unit.created", "work-unit.created", "work-unit.renamed", "work-unit.removed"], actions);
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [InlineData("X", "Nama", "code")]
    [InlineData("DINAS KESEHATAN", "Nama", "code")]
    [InlineData("DINKES", "", "name")]
    [InlineData("DINKES", "Dinas\nKesehatan", "name")]
    public async Task Bad_codes_and_names_are_refused_with_their_field(string code, string name, string field)
    {
        using TestCa test = await TestCa.CreateAsync();
        SegelException e = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Agencies.CreateAsync(code, name, Admin, null));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public async Task Others_may_read_but_not_change_and_unknown_agencies_are_not_found()
    {
        using TestCa test = await TestCa.CreateAsync();
        await test.Ca.Agencies.CreateAsync("DINKES", "Dinas Kesehatan", Admin, null);
        var officer = new Principal("rahmat", Role.RaOfficer);
        Assert.Empty(await test.Ca.Agencies.WorkUnitsAsync("DINKES", officer));
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Agencies.RenameAsync("DINKES", "X", officer, null))).Kind);
        // An agency head reads their own agency's work units (to filter their staff list), no other agency's.
        int dinkes = (await test.Ca.Employees.AgenciesAsync(Principal.Console)).Single(a => a.Code == "DINKES").Id;
        Assert.Empty(await test.Ca.Agencies.WorkUnitsAsync("DINKES", new Principal("kepala.dinkes", Role.AgencyHead, AgencyId: dinkes)));
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Agencies.WorkUnitsAsync("DINKES", new Principal("kepala.lain", Role.AgencyHead, AgencyId: dinkes + 100)))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Agencies.RenameAsync("BPBD", "X", Admin, null))).Kind);
    }
}
