using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Supervision;
using Segel.Testing;

namespace Segel.Core.Tests.Supervision;

/// <summary>
/// The evaluation record: a finding of one half-year is tracked to closure — closed once however many press at once —
/// and shows in the next half-year's report with its status (open, overdue, closed). Both databases.
/// </summary>
public sealed class FindingTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_finding_is_followed_up_to_closure_and_shown_in_the_next_report(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider, start: new DateTimeOffset(2026, 6, 20, 2, 0, 0, TimeSpan.Zero));
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        Findings findings = test.Ca.Findings;
        var due = new DateOnly(2026, 8, 31);

        Assert.Equal("dueDate", (await Assert.ThrowsAsync<SegelException>(() => findings.AddAsync(
            new NewFinding("2026-H1", "DINKES", "Cakupan rendah", "Sosialisasi", new DateOnly(2026, 1, 1)), world.Auditor, null))).Field);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() => findings.AddAsync(
            new NewFinding("2026-H1", "TIDAKADA", "Cakupan rendah", "Sosialisasi", due), world.Auditor, null))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => findings.AddAsync(
            new NewFinding("2026-H1", "DINKES", "Cakupan rendah", "Sosialisasi", due), world.HeadDinkes, null))).Kind);
        FindingView found = await findings.AddAsync(new NewFinding("2026-h1", "dinkes", "Cakupan sertifikat Dinkes 50%, di bawah target.",
            "Sosialisasi dan pendaftaran massal di puskesmas.", due), world.Auditor, null);
        Assert.Equal(("2026-H1", "DINKES", true), (found.Period, found.Agency, found.Open));
        Assert.Single(await findings.ListAsync(world.HeadDinkes));
        Assert.Empty(await findings.ListAsync(world.HeadKominfo));

        // Read on 2 September: the half-year's report lists it open; the next one (running) overdue.
        test.Time.SetUtcNow(new DateTimeOffset(2026, 9, 2, 1, 0, 0, TimeSpan.Zero));
        PeriodReport first = await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-H1"), null, world.Auditor);
        Assert.Equal("open", ReportItems.Status(first.Findings!.Single()));
        PeriodReport next = await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-H2"), "DINKES", world.HeadDinkes);
        Assert.Equal("overdue", ReportItems.Status(next.Findings!.Single()));
        Assert.Empty((await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-H2"), "DISKOMINFO", world.Auditor)).Findings!);

        // Closed once, though three supervisors press at once.
        Task<FindingView>[] closing = [.. Enumerable.Range(0, 3).Select(i => Task.Run(() =>
            findings.CloseAsync(found.Id, $"Sosialisasi dilaksanakan; cakupan naik ke 80% (catatan {i}).", world.Auditor, null)))];
        await Task.WhenAll(closing.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        Assert.Equal(1, closing.Count(t => t.IsCompletedSuccessfully));
        Assert.All(closing.Where(t => !t.IsCompletedSuccessfully), t => Assert.Equal(ErrorKind.Conflict, ((SegelException)t.Exception!.InnerException!).Kind));
        PeriodReport closedIn = await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-H2"), null, world.Auditor);
        Assert.Equal("closed", ReportItems.Status(closedIn.Findings!.Single()));
        // As the first half-year's end saw it, it was still open; a year later it is history.
        Assert.Equal("open", ReportItems.Status((await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-H1"), null, world.Auditor)).Findings!.Single()));
        Assert.Empty((await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2027-H1"), null, world.Auditor)).Findings!);
        Assert.Contains("Sosialisasi dan pendaftaran massal", Tool.Run("pdftotext", "-layout",
            test.Directory.Write("h2.pdf", ReportPdf.Write(closedIn, ReportPdf.Indonesian, null)), "-").Check().Stdout, StringComparison.Ordinal);
        Assert.True((await test.Ca.Audit.VerifyAsync(world.Auditor)).Intact);
    }
}
