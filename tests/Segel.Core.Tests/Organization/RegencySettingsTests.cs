using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Core.Settings;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Organization;

public sealed class RegencySettingsTests
{
    private static readonly Principal Policy = new("kebijakan", Role.PolicyAdmin);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_change_on_one_node_holds_on_every_node_at_once_and_is_audited(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        RegencySettings before = await second.RegencySettings.GetAsync();
        Assert.Equal(["tanahbumbukab.go.id"], before.EmailDomains);
        Assert.Equal([30, 14, 7, 1], before.ReminderDays);
        Assert.True(before.EmailDomainsOrigin.FromFile);

        RegencySettings after = await test.Ca.RegencySettings.UpdateAsync(["@TanahBumbuKab.go.id", "dinkes.tanahbumbukab.go.id"], ["7", "60", "7"], Policy, "203.0.113.9");
        Assert.Equal(["tanahbumbukab.go.id", "dinkes.tanahbumbukab.go.id"], after.EmailDomains);
        Assert.Equal([60, 7], after.ReminderDays);

        RegencySettings seen = await second.RegencySettings.GetAsync();
        Assert.Equal(after.EmailDomains, seen.EmailDomains);
        Assert.Equal(after.ReminderDays, seen.ReminderDays);
        Assert.Equal("kebijakan", seen.ReminderDaysOrigin.ChangedBy);

        // The other node's import follows the new domains at once.
        string csv = "nip,nik,name,position,agency_code,agency_name,work_unit,email\n" +
            "198507152010011003,6310011507850001,Budi Santoso,,DINKES,Dinas Kesehatan,,budi@dinkes.tanahbumbukab.go.id\n";
        ImportReport report = await second.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Principal.Console, null);
        Assert.True(report.Applied);

        // Saving the same values again changes nothing and records nothing.
        await test.Ca.RegencySettings.UpdateAsync(["tanahbumbukab.go.id", "dinkes.tanahbumbukab.go.id"], ["60", "7"], Policy, null);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        List<AuditRecord> changes = await db.AuditRecords.Where(a => a.Action == "settings.changed").ToListAsync();
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal("203.0.113.9", c.Origin));
        Assert.Contains(changes, c => c.Subject == "reminder-days" && c.Details!.Contains("[60,7]", StringComparison.Ordinal));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [InlineData("gmail", "1", "emailDomains")]
    [InlineData("", "1", "emailDomains")]
    [InlineData("a..b.go.id", "1", "emailDomains")]
    [InlineData("tanahbumbukab.go.id", "0", "reminderDays")]
    [InlineData("tanahbumbukab.go.id", "366", "reminderDays")]
    [InlineData("tanahbumbukab.go.id", "tujuh", "reminderDays")]
    [InlineData("tanahbumbukab.go.id", "", "reminderDays")]
    [InlineData("tanahbumbukab.go.id", "1 2 3 4 5 6 7 8 9", "reminderDays")]
    public async Task Bad_values_are_refused_with_the_field_and_nothing_changes(string domains, string days, string field)
    {
        using TestCa test = await TestCa.CreateAsync();
        SegelException e = await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.RegencySettings.UpdateAsync(RegencySettingsStore.Split(domains), RegencySettingsStore.Split(days), Policy, null));
        Assert.Equal(field, e.Field);
        Assert.True((await test.Ca.RegencySettings.GetAsync()).EmailDomainsOrigin.FromFile);
    }

    [Theory]
    [InlineData(Role.RaOfficer)]
    [InlineData(Role.Auditor)]
    [InlineData(Role.AgencyHead)]
    public async Task Only_administrators_and_policy_administrators_change_settings(Role role)
    {
        using TestCa test = await TestCa.CreateAsync();
        SegelException e = await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.RegencySettings.UpdateAsync(["tanahbumbukab.go.id"], ["30"], new Principal("x", role), null));
        Assert.Equal(ErrorKind.Forbidden, e.Kind);
    }

    [Fact]
    public async Task An_application_for_an_address_off_the_new_domains_is_refused()
    {
        using TestCa test = await TestCa.CreateAsync();
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        await test.Ca.RegencySettings.UpdateAsync(["kominfo.tanahbumbukab.go.id"], ["30"], Policy, null);
        SegelException e = await Assert.ThrowsAsync<SegelException>(() =>
            world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id"));
        Assert.Contains("@kominfo.tanahbumbukab.go.id", e.Message, StringComparison.Ordinal);
    }
}
