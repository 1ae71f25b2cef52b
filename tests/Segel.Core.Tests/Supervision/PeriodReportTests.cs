using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Signing;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Supervision;

/// <summary>
/// Issue 18's figures: a half-year in a small regency, made step by step on a fake clock, and the report's figures
/// against what the test knows it did and against counts it takes from the tables itself; the CSV read back by
/// Python's csv module and the workbook by openpyxl. Both databases.
/// </summary>
public sealed class PeriodReportTests
{
    private static readonly Principal Application = new("api:esurat", Role.None, Scopes: new HashSet<string> { ApiScopes.SignPdf });

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_half_year_is_reported_as_it_happened(string provider)
    {
        // 10:00 WITA on 10 March 2026.
        using TestCa test = await TestCa.CreateAsync(provider, start: new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero));
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        // Budi: sent back once, submitted again, approved 5 hours after.
        EnrollmentSnapshot budi = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        await test.Ca.Review.RejectAsync(budi.Id, "Pindaian KTP tidak terbaca", LifecycleWorld.OfficerPassphrase, world.Officer);
        await test.Ca.Enrollments.SubmitAsync(budi.Id, world.HeadKominfo);
        test.Time.Advance(TimeSpan.FromHours(5));
        await test.Ca.Review.ApproveAsync(budi.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        // Siti: approved 20 hours after submission, then revoked.
        EnrollmentSnapshot siti = await world.SubmittedAsync(LifecycleWorld.SitiNip, world.HeadDinkes, "siti@tanahbumbukab.go.id");
        test.Time.Advance(TimeSpan.FromHours(20));
        (_, CertificateView sitiCertificate) = await test.Ca.Review.ApproveAsync(siti.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        await test.Ca.Revocation.RevokeAsync(sitiCertificate.Serial, RevocationReason.KeyCompromise, new Actor("test:operator"));
        // Dewi: issued outside the RA flow.
        await test.Ca.Certificates.IssueFromCsrAsync(Principal.Console, System.Text.Encoding.ASCII.GetString(Csr.Create()), null,
            new HolderDetails(Nip: LifecycleWorld.DewiNip), "Penerbitan darurat untuk uji laporan", "cli");
        // Budi signs twice, then his key is locked by wrong passphrases and unlocked by the RA.
        await test.Ca.Signing.SignAsync(new PdfSigningRequest
        {
            Email = "budi@tanahbumbukab.go.id",
            Passphrase = LifecycleWorld.HolderPassphrase,
            Documents = [new PdfToSign(SamplePdf.Letter("Surat satu")), new PdfToSign(SamplePdf.Letter("Surat dua"))],
            Level = Segel.Pdf.Signing.PadesLevel.BaselineB,
        }, Application, null);
        HolderKeyRecord key;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            long? keyId = await db.Enrollments.Where(e => e.Id == budi.Id).Select(e => e.HolderKeyId).SingleAsync();
            key = await db.HolderKeys.AsNoTracking().SingleAsync(k => k.Id == keyId);
        }
        for (int i = 0; i < Segel.Core.Custody.HolderKeyVault.MaxAttempts; i++)
        {
            await Assert.ThrowsAsync<SegelException>(() => test.Ca.HolderKeys.ChangePassphraseAsync(key, $"salah {i}", "kalimat sandi baru 2027", Actor.System, []));
        }
        await test.Ca.HolderKeys.UnlockEmployeeAsync(LifecycleWorld.BudiNip, world.Officer);

        // Read on 2 July, once the half-year is over.
        test.Time.SetUtcNow(new DateTimeOffset(2026, 7, 2, 1, 0, 0, TimeSpan.Zero));
        PeriodReport report = await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-h1"), null, world.Auditor);
        Assert.Equal("2026-H1", report.Period.Name);
        // Month by month: nobody on the register before 10 March; from March's end four employees, three holders.
        Assert.Equal([("2026-01", 0, 0), ("2026-02", 0, 0), ("2026-03", 4, 3), ("2026-04", 4, 3), ("2026-05", 4, 3), ("2026-06", 4, 3)],
            report.Trend.Select(p => (p.Month, p.Employees, p.Holders)));
        Assert.Equal(report.Coverage.Sum(c => c.Employees), report.WorkUnits.Sum(w => w.Employees));
        Assert.Equal(report.Coverage.Sum(c => c.Holders), report.WorkUnits.Sum(w => w.Holders));
        Assert.Null(report.Agency);
        // Coverage at 1 July: Budi and Rahmat (the officer) in DISKOMINFO; Dewi in DINKES, Siti's certificate revoked.
        Assert.Equal([("DINKES", 2, 1), ("DISKOMINFO", 2, 2)], report.Coverage.Select(c => (c.Code, c.Employees, c.Holders)));
        Assert.Equal(50.0, report.Coverage[0].Percent);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            // The same coverage counted here from whole tables, without the report's queries.
            var employees = await db.Employees.AsNoTracking().ToListAsync();
            var certificates = await db.Certificates.AsNoTracking().Where(c => c.EmployeeId != null).ToListAsync();
            foreach (AgencyCoverage agency in report.Coverage)
            {
                int id = await db.Agencies.Where(a => a.Code == agency.Code).Select(a => a.Id).SingleAsync();
                HashSet<long> staff = [.. employees.Where(e => e.AgencyId == id).Select(e => e.Id)];
                Assert.Equal(staff.Count, agency.Employees);
                Assert.Equal(certificates.Where(c => staff.Contains(c.EmployeeId!.Value) && c.RevokedAt is null && c.NotAfter > report.Period.To)
                    .Select(c => c.EmployeeId).Distinct().Count(), agency.Holders);
            }
            Assert.Equal(await db.Signatures.CountAsync(), report.SignaturesByAgency.Sum(t => t.Count));
        }
        Assert.Equal(2, report.Applications.Received);
        Assert.Equal(2, report.Applications.Approved);
        Assert.Equal(1, report.Applications.SentBack);
        Assert.Equal([new Tally("Pindaian KTP tidak terbaca", 1)], report.Applications.SendBackReasons);
        Assert.Equal(5.0, report.Applications.TurnaroundMedianHours);
        Assert.Equal(20.0, report.Applications.TurnaroundP90Hours);
        Assert.Equal(4, report.Certificates.Issued); // the officer's, Budi's, Siti's, Dewi's
        Assert.Equal([new Tally("keyCompromise", 1)], report.Certificates.RevokedByReason);
        Assert.Equal(0, report.Certificates.ExpiredWithoutRenewal);
        Assert.Equal([new Tally("DISKOMINFO", 2)], report.SignaturesByAgency);
        Assert.Equal([new Tally("api:esurat", 2)], report.SignaturesByApplication);
        Assert.Equal([new Tally("B-B", 2)], report.SignaturesByLevel);
        Assert.Equal(1, report.KeyLockouts);
        Assert.Equal(1, report.KeyUnlocks);
        Assert.Equal(1, report.IssuedOutsideRa);
        Assert.True(report.AuditIntact);

        // The next half-year, a day old, holds none of it but the coverage, which carries on, and only its first month.
        PeriodReport later = await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-H2"), null, world.Auditor);
        Assert.Equal(0, later.Applications.Received + later.Certificates.Issued + later.KeyLockouts + later.IssuedOutsideRa);
        Assert.Equal(3, later.Coverage.Sum(c => c.Holders));
        Assert.Equal(["2026-07"], later.Trend.Select(p => p.Month));

        // The PDF: a draft marked on every page in Bahasa Indonesia, English on request, its figures as poppler reads them.
        string draft = Tool.Run("pdftotext", "-layout", test.Directory.Write("draf.pdf", ReportPdf.Write(report, ReportPdf.Indonesian, null)), "-").Check().Stdout;
        Assert.Contains("DRAF - TIDAK DITANDATANGANI", draft, StringComparison.Ordinal);
        Assert.Matches(@"DISKOMINFO - .*\s2\s+2\s+100,0", draft);
        Assert.Matches(@"Pindaian KTP tidak terbaca\s+1", draft);
        string english = Tool.Run("pdftotext", "-layout", test.Directory.Write("draft.pdf", ReportPdf.Write(report, ReportPdf.English, null)), "-").Check().Stdout;
        Assert.Contains("DRAFT - NOT SIGNED", english, StringComparison.Ordinal);
        Assert.Matches(@"DINKES - .*\s2\s+1\s+50\.0", english);
        // Four months on, the jobs have kept the CRLs and OCSP responders fresh, as they do on a running server.
        await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System);
        await test.Ca.Crls.PublishDueAsync(await test.Ca.Authorities.GetIssuersAsync());
        // Signed (PAdES B-LT) by a policy administrator with their own custody key — Budi, for the test: pdfsig accepts it.
        // His account was made when his certificate was issued (the username is his NIP); the administrator gives it the role.
        await test.Ca.Users.ChangeRolesAsync(LifecycleWorld.BudiNip, Role.PolicyAdmin | Role.Subscriber, null, Principal.Console, null);
        await test.Ca.Users.SetDisabledAsync(LifecycleWorld.BudiNip, false, Principal.Console);
        byte[] signed = await test.Ca.ReportSigning.PdfAsync(ReportPeriod.Parse("2026-H1"), null, ReportPdf.Indonesian,
            new ReportSigner(LifecycleWorld.BudiNip, LifecycleWorld.HolderPassphrase), Principal.Console, null);
        string signedFile = test.Directory.Write("laporan.pdf", signed);
        Assert.Contains("Signature Validation: Signature is Valid.", Tool.Run("pdfsig", signedFile).Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DRAF", Tool.Run("pdftotext", signedFile, "-").Check().Stdout, StringComparison.Ordinal);
        // Refused: an RA officer signs no report; an account signs only as itself.
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.ReportSigning.PdfAsync(ReportPeriod.Parse("2026-H1"), null,
            ReportPdf.Indonesian, new ReportSigner("rahmat", LifecycleWorld.OfficerPassphrase), Principal.Console, null))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.ReportSigning.PdfAsync(ReportPeriod.Parse("2026-H1"), null,
            ReportPdf.Indonesian, new ReportSigner(LifecycleWorld.BudiNip, LifecycleWorld.HolderPassphrase), world.Officer, null))).Kind);

        // An agency head reads their own agency, and only that.
        PeriodReport dinkes = await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026"), null, world.HeadDinkes);
        Assert.Equal("DINKES", dinkes.Agency);
        Assert.Equal(1, dinkes.Applications.Approved);
        Assert.Empty(dinkes.SignaturesByAgency);
        Assert.Equal(1, dinkes.IssuedOutsideRa);
        Assert.Equal(0, dinkes.KeyLockouts);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026"), "DISKOMINFO", world.HeadDinkes))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026"), null, Application))).Kind);

        // The CSV as Python's csv module reads it.
        string file = test.Directory.Write("laporan.csv", ReportCsv.Write(report));
        string read = Tool.Run("python3", "-c",
            "import csv,sys; rows=list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig'))); " +
            "print(';'.join(r['section']+'/'+r['key']+'='+r['value'] for r in rows if r['section'] in ('coverage-holders','sent-back-reason','signatures-by-level')))", file).Check().Stdout.Trim();
        Assert.Equal("coverage-holders/DINKES=1;coverage-holders/DISKOMINFO=2;sent-back-reason/Pindaian KTP tidak terbaca=1;signatures-by-level/B-B=2", read);

        // The workbook as openpyxl (Debian's, hence Debian's interpreter) reads it: a sheet per table, numbers as numbers.
        string workbook = test.Directory.Write("laporan.xlsx", ReportXlsx.Write(report));
        string sheets = Tool.Run("/usr/bin/python3", "-c",
            "import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); " +
            "print(','.join(wb.sheetnames)); " +
            "print(';'.join('|'.join(repr(c.value) for c in row) for row in wb['coverage'].iter_rows())); " +
            "print(sum(row[1].value for row in wb['signatures-by-level'].iter_rows(min_row=2)))", workbook).Check().Stdout;
        string[] lines = sheets.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("report,coverage,work-units,coverage-trend,applications,sent-back-reasons,certificates,revoked-by-reason,signatures-by-agency,signatures-by-application,signatures-by-level,keys,complaints,findings", lines[0]);
        Assert.Equal("'code'|'name'|'employees'|'holders'|'percent';'DINKES'|'Dinas Kesehatan'|2|1|50;'DISKOMINFO'|'Dinas Komunikasi dan Informatika'|2|2|100", lines[1]);
        Assert.Equal("2", lines[2]);
    }

    [Theory]
    [InlineData("2026-H1", "2026-01-01T00:00:00+08:00", "2026-07-01T00:00:00+08:00")]
    [InlineData("2026-h2", "2026-07-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")]
    [InlineData("2026", "2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")]
    [InlineData(" 2026-02-01..2026-02-28 ", "2026-02-01T00:00:00+08:00", "2026-03-01T00:00:00+08:00")]
    public void Periods_run_in_the_regencys_time(string text, string from, string to)
    {
        ReportPeriod period = ReportPeriod.Parse(text);
        Assert.Equal(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), period.From);
        Assert.Equal(DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture), period.To);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-H3")]
    [InlineData("1999")]
    [InlineData("2026-02-30..2026-03-01")]
    [InlineData("2026-03-01..2026-02-01")]
    [InlineData("kemarin")]
    public void A_period_that_is_none_is_refused_with_the_field_named(string text)
    {
        SegelException refused = Assert.Throws<SegelException>(() => ReportPeriod.Parse(text));
        Assert.Equal(ErrorKind.Invalid, refused.Kind);
        Assert.Equal("period", refused.Field);
    }
}
