using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Organization;

public sealed class EmployeeImportTests
{
    private static readonly Actor Admin = new("test:admin", "198.51.100.4");

    private const string Header = "nip,nik,name,position,agency_code,agency_name,work_unit,email\n";
    private const string Budi = "198507152010011003,6310011507850001,Budi Santoso,Pranata Komputer,DISKOMINFO,Dinas Komunikasi dan Informatika,Bidang Persandian,budi@tanahbumbukab.go.id\n";
    private const string Siti = "199001012015032001,6310014101900002,Siti Aminah,Analis Kebijakan,DINKES,Dinas Kesehatan,,siti@tanahbumbukab.go.id\n";

    private static Task<ImportReport> Import(TestCa test, string csv, bool dryRun = false) =>
        test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Admin, dryRun);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_creates_then_reimport_updates_instead_of_duplicating(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        ImportReport first = await Import(test, Header + Budi + Siti);
        Assert.True(first.Applied);
        Assert.Equal(2, first.Count(ImportOutcome.Created));

        ImportReport again = await Import(test, Header + Budi.Replace("Pranata Komputer", "Kepala Bidang", StringComparison.Ordinal) + Siti);
        Assert.Equal(1, again.Count(ImportOutcome.Updated));
        Assert.Equal(1, again.Count(ImportOutcome.Unchanged));

        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(2, await db.Employees.CountAsync());
        Assert.Equal(2, await db.Agencies.CountAsync());
        Assert.Equal("Kepala Bidang", (await db.Employees.SingleAsync(e => e.Nip == "198507152010011003")).Position);
        Assert.Equal(1, await db.WorkUnits.CountAsync());
        AuditRecord update = await db.AuditRecords.SingleAsync(a => a.Action == "employee.updated");
        Assert.Contains("position", update.Details, StringComparison.Ordinal);
        Assert.Equal("198.51.100.4", update.Origin);
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_bad_row_imports_nothing_and_the_report_says_which_and_why(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        string bad = "12345,6310011507850009,Ahmad,,DISKOMINFO,,,ahmad@gmail.com\n";
        ImportReport report = await Import(test, Header + Budi + bad + Siti);
        Assert.False(report.Applied);
        ImportRowResult rejected = Assert.Single(report.Rows, r => r.Outcome == ImportOutcome.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.Contains(rejected.Problems, p => p.Contains("18 digits", StringComparison.Ordinal));
        Assert.Contains(rejected.Problems, p => p.Contains("@tanahbumbukab.go.id", StringComparison.Ordinal));
        Assert.Equal(2, report.Count(ImportOutcome.Created)); // what would have happened
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(0, await db.Employees.CountAsync());
        Assert.Equal(0, await db.Agencies.CountAsync());
    }

    [Fact]
    public async Task Duplicates_within_the_file_and_against_other_employees_are_rejected()
    {
        using TestCa test = await TestCa.CreateAsync();
        await Import(test, Header + Budi);
        string sameNikOtherNip = "198507152010011004,6310011507850001,Budi Lain,,DISKOMINFO,,,budi.lain@tanahbumbukab.go.id\n";
        ImportReport report = await Import(test, Header + Siti + Siti.Replace("siti@", "siti2@", StringComparison.Ordinal) + sameNikOtherNip);
        Assert.False(report.Applied);
        Assert.Contains(report.Rows[1].Problems, p => p.Contains("also on line 2", StringComparison.Ordinal));
        Assert.Contains(report.Rows[2].Problems, p => p.Contains("already registered to another employee", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Progress_is_told_through_checking_then_saving()
    {
        using TestCa test = await TestCa.CreateAsync();
        var csv = new System.Text.StringBuilder(Header);
        for (int i = 0; i < 120; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"19850715201001{1 + i % 2}{i:000},63100115078{5 + i / 100}{i % 100 + 1:0000},Pegawai {i},,DISKOMINFO,Dinas Kominfo,,p{i}@tanahbumbukab.go.id\n");
        }
        var heard = new Heard();
        ImportReport report = await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), Admin, false, heard);
        Assert.True(report.Applied, string.Join(" | ", report.Rows.SelectMany(r => r.Problems)));
        Assert.Equal(
            [(ImportPhase.Checking, 0), (ImportPhase.Checking, 50), (ImportPhase.Checking, 100), (ImportPhase.Saving, 0), (ImportPhase.Saving, 50), (ImportPhase.Saving, 100)],
            heard.Reports.Select(r => (r.Phase, r.Done)));
        Assert.All(heard.Reports, r => Assert.Equal(120, r.Total));
    }

    private sealed class Heard : IProgress<ImportProgress>
    {
        public List<ImportProgress> Reports { get; } = [];

        public void Report(ImportProgress value) => Reports.Add(value);
    }

    [Fact]
    public async Task Every_problem_a_row_can_have_reads_in_bahasa_indonesia_with_its_values()
    {
        using TestCa test = await TestCa.CreateAsync();
        string rows = Header + Budi +
            "12345,6310011507850009,Ahmad,,DISKOMINFO,,,ahmad@gmail.com\n" +
            "199001012015032001,6310014101900009,Siti,,NEWAGENCY,,,siti@tanahbumbukab.go.id\n" +
            Budi.Replace("Budi Santoso", "Budi Kedua", StringComparison.Ordinal) +
            "199001012015032002,6310014101900003,,,X,,,bukan-alamat\n" +
            "199001012015032003,6310014101900004,Rina," + new string('p', 201) + ",DINKES,Dinas Kesehatan,,rina@tanahbumbukab.go.id\n";
        ImportReport report = await Import(test, rows);
        var indonesian = System.Globalization.CultureInfo.GetCultureInfo("id-ID");
        List<ImportRowResult> rejected = report.Rows.Where(r => r.Outcome == ImportOutcome.Rejected).ToList();
        Assert.True(rejected.Sum(r => r.Reasons.Count) >= 10, string.Join(" | ", rejected.SelectMany(r => r.Problems)));
        foreach (ImportRowResult row in rejected)
        {
            IReadOnlyList<string> english = row.Problems, translated = row.ProblemsIn(indonesian);
            for (int i = 0; i < english.Count; i++)
            {
                Assert.True(english[i] != translated[i], $"line {row.Line}: no translation for '{english[i]}'");
            }
        }
        Assert.Contains("perangkat daerah NEWAGENCY belum ada: isi nama_perangkat_daerah", report.Rows[2].ProblemsIn(indonesian));
        Assert.Contains("NIP ini juga ada di baris 2", report.Rows[3].ProblemsIn(indonesian));
        Assert.Contains("alamat surel harus pada @tanahbumbukab.go.id (Pasal 14 huruf f)", report.Rows[1].ProblemsIn(indonesian));
        // The API's JSON keeps its English "problems" and does not expose the formats.
        string json = System.Text.Json.JsonSerializer.Serialize(report.Rows[2]);
        Assert.Contains("\"Problems\":[\"agency NEWAGENCY is new: give its agency_name\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Reasons", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("199013452015032001", "not a birth date")]
    [InlineData("199001012015033001", "15th digit")]
    [InlineData("199001011985032001", "appointment month")]
    public void Nip_structure_is_checked(string nip, string expected)
    {
        Assert.False(IdentityNumbers.TryValidateNip(nip, out _, out Segel.Texts.Localized? problem));
        Assert.Contains(expected, problem!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("6310011507850001", true)]
    [InlineData("6310015507850001", true)]  // a woman: day + 40
    [InlineData("6310019907850001", false)]
    [InlineData("0010011507850001", false)]
    [InlineData("6310011507850000", false)]
    [InlineData("631001150785000", false)]
    public void Nik_structure_is_checked(string nik, bool valid) => Assert.Equal(valid, IdentityNumbers.TryValidateNik(nik, out _, out _));

    [Fact]
    public async Task Semicolons_indonesian_headers_and_a_byte_order_mark_are_understood()
    {
        using TestCa test = await TestCa.CreateAsync();
        string csv = "\uFEFFNIP;NIK;Nama;Jabatan;Kode_PD;Nama_PD;Unit_Kerja;Surel\r\n" +
            "198507152010011003;6310011507850001;Budi Santoso;\"Kepala Seksi; Persandian\";DISKOMINFO;Dinas Kominfo;;budi@tanahbumbukab.go.id\r\n\r\n";
        ImportReport report = await Import(test, csv);
        Assert.True(report.Applied, string.Join("; ", report.Rows.SelectMany(r => r.Problems)));
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal("Kepala Seksi; Persandian", (await db.Employees.SingleAsync()).Position);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nip,name\n1,x\n")]
    [InlineData("nip,nik,name,agency_code,email\n")]
    public async Task Unusable_files_are_clear_errors(string csv)
    {
        using TestCa test = await TestCa.CreateAsync();
        var e = await Assert.ThrowsAsync<SegelException>(() => Import(test, csv));
        Assert.Equal("file", e.Field);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_nul_byte_in_a_field_is_a_clear_error_on_both_databases(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        var e = await Assert.ThrowsAsync<SegelException>(() => Import(test, Header + Budi.Replace("Budi", "Bu\0di", StringComparison.Ordinal) + Siti));
        Assert.Equal("file", e.Field);
        Assert.Contains("Line 2, column 3", e.Message, StringComparison.Ordinal);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(0, await db.Employees.CountAsync());
    }

    [Fact]
    public async Task Dry_run_reports_without_writing()
    {
        using TestCa test = await TestCa.CreateAsync();
        ImportReport report = await Import(test, Header + Budi, dryRun: true);
        Assert.False(report.Applied);
        Assert.Equal(1, report.Count(ImportOutcome.Created));
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(0, await db.Employees.CountAsync());
    }

    [Fact]
    public async Task Nik_is_never_stored_in_clear()
    {
        using TestCa test = await TestCa.CreateAsync();
        await Import(test, Header + Budi);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            EmployeeRecord budi = await db.Employees.SingleAsync();
            Assert.Equal("6310011507850001", test.Ca.PersonalData.Open(PersonalDataProtector.NikPurpose, budi.NikSealed));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in Directory.GetFiles(test.Directory.Path, "segel.db*"))
        {
            byte[] content = await File.ReadAllBytesAsync(file);
            Assert.Equal(-1, content.AsSpan().IndexOf("6310011507850001"u8));
        }
    }
}
