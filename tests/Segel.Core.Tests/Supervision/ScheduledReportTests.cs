using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Testing;

namespace Segel.Core.Tests.Supervision;

/// <summary>
/// The reports generated on schedule: the half-year's on the first day after it, once however many nodes run the job
/// at once, announced once, stored unchangeable — a figure edited in the database is refused on reading. Both databases.
/// </summary>
public sealed class ScheduledReportTests
{
    [Theory]
    [InlineData("2026-07-01T00:30:00+08:00", "2026-H1")]
    [InlineData("2026-07-07T23:00:00+08:00", "2026-H1")]
    [InlineData("2026-07-09T00:00:00+08:00", "")]
    [InlineData("2027-01-01T00:10:00+08:00", "2026-H2,2026")]
    [InlineData("2026-12-03T12:00:00+08:00", "")]
    public void A_period_is_due_in_the_week_after_it_ends(string now, string due) =>
        Assert.Equal(due, string.Join(",", ScheduledReports.DueAt(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)).Select(p => p.Name)));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_half_year_is_generated_once_stored_announced_and_kept_unchanged(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider, start: new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero));
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        // The head of persandian (a policy administrator who is an employee) hears of the regency's report.
        await test.Ca.Users.CreateAsync(new NewUser("kkse", "Kepala Persandian", Role.PolicyAdmin | Role.Subscriber, "sandi-yang-panjang-9",
            EmployeeNip: LifecycleWorld.SitiNip), Principal.Console);
        Assert.Equal(0, await test.Ca.ScheduledReports.RunDueAsync());
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.ScheduledReports.GenerateAsync(ReportPeriod.Parse("2026-H1"), Principal.System))).Kind);

        // 1 July, 00:30 WITA: four nodes run the job at once; one generates the regency's and each agency's report.
        test.Time.SetUtcNow(new DateTimeOffset(2026, 6, 30, 16, 30, 0, TimeSpan.Zero));
        int[] made = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => test.Ca.ScheduledReports.RunDueAsync())));
        Assert.Equal(1, made.Sum());
        IReadOnlyList<StoredReportView> stored = await test.Ca.ScheduledReports.ListAsync(world.Auditor);
        Assert.Equal([null, "DINKES", "DISKOMINFO"], stored.Select(s => s.Agency).Order(StringComparer.Ordinal));
        Assert.Equal(["DISKOMINFO"], (await test.Ca.ScheduledReports.ListAsync(world.HeadKominfo)).Select(s => s.Agency));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(3, await db.AuditRecords.CountAsync(a => a.Action == "report.generated"));
            // Announced once: to the policy administrator at her official address, to each agency head at the agency's desk.
            List<string> to = await db.OutboxMail.Where(m => m.Subject.StartsWith("Laporan pengawasan")).Select(m => m.To).ToListAsync();
            Assert.Equal(to.Distinct().Count(), to.Count);
            Assert.Contains("siti@tanahbumbukab.go.id", to);
        }

        // Read back, the figures are the period's.
        StoredReportView regency = stored.Single(s => s.Agency is null);
        PeriodReport figures = await test.Ca.ScheduledReports.OpenAsync(regency.Id, world.Auditor);
        Assert.Equal(("2026-H1", 1), (figures.Period.Name, figures.Applications.Received));
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.ScheduledReports.OpenAsync(stored.Single(s => s.Agency == "DINKES").Id, world.HeadKominfo))).Kind);

        // A figure edited in the database is refused, and the alarm raised.
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.StoredReports.Where(r => r.Id == regency.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Figures, r => r.Figures.Replace("\"received\":1", "\"received\":9")));
        }
        SegelException refused = await Assert.ThrowsAsync<SegelException>(() => test.Ca.ScheduledReports.OpenAsync(regency.Id, world.Auditor));
        Assert.Equal(ErrorKind.Refused, refused.Kind);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "integrity.alarm" && a.Subject.StartsWith("report ")));
        }
    }
}
