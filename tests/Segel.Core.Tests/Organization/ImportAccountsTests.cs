using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Organization;

/// <summary>
/// Accounts from the personnel file (issue 20.1): an import makes every employee without an account a disabled one and
/// e-mails the link that opens it, once; the agency_head column designates heads and withdraws them; a complete file
/// disables the accounts of those who left it (never the importer's own) — on both databases.
/// </summary>
public sealed class ImportAccountsTests
{
    private const string Andi = "199001012015011001";
    private const string Sinta = "199202022016022002";
    private const string Dewi = "198805052012032003";
    private const string Admin = "198303032008011004";
    private const string Header = "nip,nik,nama,jabatan,kode_pd,nama_pd,unit_kerja,surel,kepala_pd\n";
    private const string AndiRow = $"{Andi},6310010101900001,Andi Pratama,Kepala Dinas,DISKOMINFO,Dinas Komunikasi dan Informatika,,andi@tanahbumbukab.go.id,";
    private const string SintaRow = $"{Sinta},6310014202920002,Sinta Lestari,Pranata Komputer,DISKOMINFO,Dinas Komunikasi dan Informatika,,sinta@tanahbumbukab.go.id,";
    private const string DewiRow = $"{Dewi},6310014505880003,Dewi Anggraini,Analis,DINKES,Dinas Kesehatan,,dewi@tanahbumbukab.go.id,";
    private const string AdminRow = $"{Admin},6310010303830004,Bayu Saputra,Pranata Komputer,DISKOMINFO,Dinas Komunikasi dan Informatika,,bayu@tanahbumbukab.go.id,";

    private static Task<ImportReport> ImportAsync(TestCa test, string csv, Principal by, EmployeeImportOptions options) =>
        test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), by, "192.0.2.7", options);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_import_opens_accounts_designates_heads_and_closes_those_who_left(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        // The administrator is on the file too; their account was made by hand, so the import leaves it be.
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Header + AdminRow + "\n")), Actor.System);
        await test.Ca.Users.CreateAsync(new NewUser("bayu.admin", "Bayu Saputra", Role.Admin, "sandi-admin-yang-panjang-1", EmployeeNip: Admin), Principal.Console);
        var admin = new Principal("bayu.admin", Role.Admin);

        string file = Header + AndiRow + "ya\n" + SintaRow + "tidak\n" + DewiRow + "\n" + AdminRow + "\n";
        ImportReport preview = await ImportAsync(test, file, admin, new EmployeeImportOptions(DryRun: true, OpenAccounts: true));
        Assert.False(preview.Applied);
        Assert.Equal(3, preview.Accounts.Made);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await db.Users.CountAsync()); // a dry run makes nothing
        }

        ImportReport report = await ImportAsync(test, file, admin, new EmployeeImportOptions(OpenAccounts: true));
        Assert.True(report.Applied);
        Assert.Equal(3, report.Accounts.Made);
        Assert.Empty(report.Accounts.Skipped);
        foreach ((string nip, string email) in new[] { (Andi, "andi@tanahbumbukab.go.id"), (Sinta, "sinta@tanahbumbukab.go.id"), (Dewi, "dewi@tanahbumbukab.go.id") })
        {
            UserView user = await test.Ca.Users.GetAsync(nip, Principal.Console);
            Assert.True(user.Disabled);
            Assert.True(user.Invited);
            Assert.Equal(nip, user.EmployeeNip);
            string body = (await test.Ca.Outbox.PendingForAsync(email, Principal.Console))!.Body;
            Assert.Contains("/undangan/", body, StringComparison.Ordinal);
            Assert.DoesNotContain("sandi", body.Replace("kata sandi", "", StringComparison.Ordinal), StringComparison.Ordinal); // no password in the mail
        }
        UserView head = await test.Ca.Users.GetAsync(Andi, Principal.Console);
        Assert.Equal(Role.Subscriber | Role.AgencyHead, head.Roles);
        Assert.Equal("DISKOMINFO", head.Agency);
        Assert.Equal(Role.Subscriber, (await test.Ca.Users.GetAsync(Sinta, Principal.Console)).Roles);
        Assert.Equal(Role.Admin, (await test.Ca.Users.GetAsync("bayu.admin", Principal.Console)).Roles);

        // The same file again sends nobody a second link.
        ImportReport again = await ImportAsync(test, file, admin, new EmployeeImportOptions(OpenAccounts: true));
        Assert.Equal(0, again.Accounts.Made);
        Assert.Equal(0, again.Accounts.HeadsChanged);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(3, await db.Invitations.CountAsync());
            Assert.Equal(3, await db.OutboxMail.CountAsync(m => m.Subject == "Akun portal Segel Anda"));
        }

        // Sinta heads the agency now, Andi no longer; Dewi left: the complete file closes her account, not the administrator's.
        string next = Header + AndiRow + "tidak\n" + SintaRow + "ya\n";
        ImportReport plan = await ImportAsync(test, next, admin, new EmployeeImportOptions(DryRun: true, OpenAccounts: true, Complete: true));
        Assert.Equal(1, plan.Accounts.Disabled);
        ImportReport moved = await ImportAsync(test, next, admin, new EmployeeImportOptions(OpenAccounts: true, Complete: true));
        Assert.Equal(2, moved.Accounts.HeadsChanged);
        Assert.Equal(1, moved.Accounts.Disabled);
        Assert.Equal(Role.Subscriber, (await test.Ca.Users.GetAsync(Andi, Principal.Console)).Roles);
        Assert.Null((await test.Ca.Users.GetAsync(Andi, Principal.Console)).Agency);
        Assert.Equal(Role.Subscriber | Role.AgencyHead, (await test.Ca.Users.GetAsync(Sinta, Principal.Console)).Roles);
        Assert.False((await test.Ca.Users.GetAsync("bayu.admin", Principal.Console)).Disabled);
        // Dewi's employee record and account stay, closed; her unused link no longer opens it (accepting enables an account).
        Assert.True((await test.Ca.Users.GetAsync(Dewi, Principal.Console)).Disabled);
        string link = System.Text.RegularExpressions.Regex.Match((await test.Ca.Outbox.PendingForAsync("dewi@tanahbumbukab.go.id", Principal.Console))!.Body,
            @"/undangan/([A-Za-z0-9_-]+)").Groups[1].Value;
        await Assert.ThrowsAsync<Segel.Core.Errors.SegelException>(() => test.Ca.Invitations.AcceptAsync(link, "perahu-layar-di-teluk-9", null));
        Assert.NotNull(await test.Ca.Employees.GetAsync(Dewi, false, Principal.Console, null));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_nip_taken_as_another_accounts_name_is_named_not_overwritten(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await test.Ca.Users.CreateAsync(new NewUser(Andi, "Someone Else", Role.Auditor, "sandi-auditor-yang-panjang-1"), Principal.Console);
        ImportReport report = await ImportAsync(test, Header + AndiRow + "\n" + SintaRow + "\n", new Principal("root.admin", Role.Admin),
            new EmployeeImportOptions(OpenAccounts: true));
        Assert.Equal(1, report.Accounts.Made);
        Assert.Equal([Andi], report.Accounts.Skipped);
        UserView kept = await test.Ca.Users.GetAsync(Andi, Principal.Console);
        Assert.Equal(Role.Auditor, kept.Roles);
        Assert.Null(kept.EmployeeNip);
    }

    [Fact]
    public async Task A_head_column_with_another_word_rejects_the_row()
    {
        using TestCa test = await TestCa.CreateAsync("sqlite");
        ImportReport report = await ImportAsync(test, Header + AndiRow + "mungkin\n", new Principal("root.admin", Role.Admin), new EmployeeImportOptions(OpenAccounts: true));
        Assert.False(report.Applied);
        Assert.Contains("agency_head must be ya (yes) or tidak (no), or left empty", report.Rows[0].Problems);
        Assert.Contains("kepala_pd", report.Rows[0].ProblemsIn(System.Globalization.CultureInfo.GetCultureInfo("id-ID"))[0], StringComparison.Ordinal);
    }
}
