using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Testing;

namespace Segel.Core.Tests.Supervision;

/// <summary>
/// Complaints (Pasal 16(2)e, 16(6)): filed by the public, followed with the tracking code, answered and closed by the RA
/// — once, however many officers press at once — forwarded once to the national CA, counted in the report, and sealed
/// at rest. Both databases.
/// </summary>
public sealed class ComplaintTests
{
    private const string Text = "Tanda tangan pada surat undangan tidak dapat diverifikasi di aplikasi kantor kami.";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_complaint_goes_from_filing_to_closure_once_and_is_forwarded_once(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider, start: new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero));
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        Complaints complaints = test.Ca.Complaints;

        // Filed by a member of the public; bad input is refused with the field named and nothing is stored.
        Assert.Equal("topic", (await Assert.ThrowsAsync<SegelException>(() => complaints.FileAsync(new NewComplaint("cuaca", null, Text), null, "203.0.113.9"))).Field);
        Assert.Equal("text", (await Assert.ThrowsAsync<SegelException>(() => complaints.FileAsync(new NewComplaint("signature", null, "pendek"), null, null))).Field);
        Assert.Equal("email", (await Assert.ThrowsAsync<SegelException>(() => complaints.FileAsync(new NewComplaint("signature", null, Text, "Ani", "bukan surel"), null, null))).Field);
        FiledComplaint filed = await complaints.FileAsync(new NewComplaint("signature", "c022a3c2e42a11f6", Text, "Ani Warga", "ani@example.org"), null, "203.0.113.9");
        Assert.Equal("PGD-000001", filed.Number);

        // The complainant follows it with the code; a wrong code is no complaint at all.
        ComplaintView seen = await complaints.TrackAsync(filed.Number.ToLowerInvariant(), filed.TrackingCode);
        Assert.Equal(("open", Text), (seen.State, seen.Text));
        Assert.Null(seen.Email);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() => complaints.TrackAsync(filed.Number, "0000"))).Kind);

        // Read by the auditor, not by an agency head; answered and closed by RA officers.
        Assert.Equal("ani@example.org", (await complaints.ListAsync(null, 10, world.Auditor)).Single().Email);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => complaints.ListAsync(null, 10, world.HeadKominfo))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            complaints.AnswerAsync(filed.Number, "Kami periksa sekarang.", false, world.Auditor, null))).Kind);
        await complaints.AnswerAsync(filed.Number, "Terima kasih, kami sedang memeriksa tanda tangan tersebut.", false, world.Officer, null);
        Assert.Contains("memeriksa tanda tangan", (await test.Ca.Outbox.PendingForAsync("ani@example.org", Principal.Console))?.Body, StringComparison.Ordinal);

        // Two officers close it at the same moment: one closes it, the other is told.
        var second = new Principal("sari", Role.RaOfficer, UserId: 99);
        Task<ComplaintView>[] closing = [.. new[] { world.Officer, second, world.Officer, second }.Select(officer => Task.Run(() =>
            complaints.AnswerAsync(filed.Number, $"Sudah diperbaiki oleh {officer.Name}; sertifikat penanda tangan masih berlaku.", true, officer, null)))];
        await Task.WhenAll(closing.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        Assert.Equal(1, closing.Count(t => t.IsCompletedSuccessfully));
        Assert.All(closing.Where(t => !t.IsCompletedSuccessfully), t => Assert.Equal(ErrorKind.Conflict, ((SegelException)t.Exception!.InnerException!).Kind));
        ComplaintView closed = await complaints.TrackAsync(filed.Number, filed.TrackingCode);
        Assert.Equal("closed", closed.State);
        Assert.Equal(2, closed.Answers.Count);

        // About an RA officer: forwarded once to the national CA's address, and only once that is set.
        FiledComplaint officer = await complaints.FileAsync(new NewComplaint("ra-officer", "rahmat", "Petugas meminta imbalan untuk mempercepat permohonan."), null, null);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => complaints.ForwardAsync(officer.Number, world.Officer, null))).Kind);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => complaints.ForwardAsync(filed.Number, world.Officer, null))).Kind);
        await test.Ca.RegencySettings.SetNationalCaEmailAsync("pengaduan@bsre.example.go.id", Principal.Console, null);
        Task<ComplaintView>[] forwarding = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(() => complaints.ForwardAsync(officer.Number, world.Officer, null)))];
        await Task.WhenAll(forwarding.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        Assert.Equal(1, forwarding.Count(t => t.IsCompletedSuccessfully));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await db.OutboxMail.CountAsync(m => m.To == "pengaduan@bsre.example.go.id"));
            // Sealed at rest: neither the complaint's words nor the complainant's address are in the row.
            foreach (ComplaintRecord row in await db.Complaints.AsNoTracking().ToListAsync())
            {
                string raw = Encoding.UTF8.GetString(row.TextSealed) + Encoding.UTF8.GetString(row.ContactSealed ?? []);
                Assert.DoesNotContain("imbalan", raw, StringComparison.Ordinal);
                Assert.DoesNotContain("ani@example.org", raw, StringComparison.Ordinal);
            }
            Assert.Equal(5, await db.AuditRecords.CountAsync(a => a.Action.StartsWith("complaint.")));
        }

        // In the half-year's report: two received, one closed.
        test.Time.SetUtcNow(new DateTimeOffset(2026, 7, 2, 1, 0, 0, TimeSpan.Zero));
        PeriodReport report = await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-H1"), null, world.Auditor);
        Assert.Equal((2, 1), (report.ComplaintsReceived, report.ComplaintsClosed));
        Assert.Null((await test.Ca.Reports.ComputeAsync(ReportPeriod.Parse("2026-H1"), null, world.HeadDinkes)).ComplaintsReceived);
        Assert.True((await test.Ca.Audit.VerifyAsync(world.Auditor)).Intact);
    }
}
