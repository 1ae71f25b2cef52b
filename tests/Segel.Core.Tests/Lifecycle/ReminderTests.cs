using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Seals;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Lifecycle;

public sealed class ReminderTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_reminder_is_queued_exactly_once_even_with_several_nodes_running_the_job(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot submitted = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView certificateView) = await test.Ca.Review.ApproveAsync(submitted.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        CertificateRecord certificate = await test.Ca.Queries.GetAsync(certificateView.Serial);
        using SegelCa second = test.OpenSecondNode();
        using SegelCa third = test.OpenSecondNode();

        foreach (int days in new[] { 30, 14, 7, 1 })
        {
            test.Time.SetUtcNow(certificate.NotAfter.AddDays(-days).AddHours(2));
            // Three nodes run the job at the same moment, twice each.
            await Task.WhenAll(Enumerable.Range(0, 2).SelectMany(_ => new[] { test.Ca.Reminders.RunAsync(), second.Reminders.RunAsync(), third.Reminders.RunAsync() }));
        }
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        List<int> sent = await db.Reminders.Where(r => r.CertificateId == certificate.Id).OrderByDescending(r => r.DaysBefore).Select(r => r.DaysBefore).ToListAsync();
        Assert.Equal([30, 14, 7, 1], sent);
        // (The officer, certified at the same moment, gets his own four.)
        List<string> subjects = await db.OutboxMail.Where(m => m.To == "budi@tanahbumbukab.go.id" && m.Subject.Contains("berakhir")).Select(m => m.Subject).ToListAsync();
        Assert.Equal(4, subjects.Count);
        Assert.Contains(subjects, s => s.Contains("30 hari", StringComparison.Ordinal));
        Assert.Contains(subjects, s => s.Contains("1 hari", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_renewed_or_revoked_holder_gets_no_reminder_and_a_missed_day_is_not_sent_late(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot submitted = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView certificateView) = await test.Ca.Review.ApproveAsync(submitted.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        CertificateRecord certificate = await test.Ca.Queries.GetAsync(certificateView.Serial);

        // The job was down from 30 until 10 days before expiry: only the most urgent reminder then due (14 days) goes out, once.
        test.Time.SetUtcNow(certificate.NotAfter.AddDays(-10));
        Assert.True(await test.Ca.Reminders.RunAsync() > 0);
        Assert.Equal(0, await test.Ca.Reminders.RunAsync());

        // Renewed before the 7-day mark: no further reminders for the old certificate.
        EnrollmentSnapshot renewal = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id", "renewal");
        await test.Ca.Review.ApproveAsync(renewal.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        test.Time.SetUtcNow(certificate.NotAfter.AddDays(-1).AddHours(1));
        await test.Ca.Reminders.RunAsync();
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal([14], await db.Reminders.Where(r => r.CertificateId == certificate.Id).Select(r => r.DaysBefore).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_institutional_seal_near_its_end_is_reminded_of_to_its_agencys_heads_until_it_is_renewed(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        // Siti heads Dinkes: her account is linked to her employee record, which has her official address.
        await test.Ca.Users.CreateAsync(new NewUser("siti", "Siti Aminah", Role.AgencyHead, "sandi-yang-panjang-5", "DINKES", LifecycleWorld.SitiNip), Principal.Console);
        const string name = "Sistem e-Surat Dinas Kesehatan", purpose = "Menyegel surat keluar aplikasi e-Surat Dinas Kesehatan.";
        SealView seal = await test.Ca.Seals.ApproveAsync((await test.Ca.Seals.ApplyAsync(new NewSeal(name, purpose), world.HeadDinkes)).Id,
            LifecycleWorld.OfficerPassphrase, world.Officer);
        CertificateRecord certificate = await test.Ca.Queries.GetAsync(seal.CertificateSerial!);
        using SegelCa second = test.OpenSecondNode();

        // Thirty days before its end, two nodes run the job twice at once: one reminder, to Siti.
        test.Time.SetUtcNow(certificate.NotAfter.AddDays(-30).AddHours(2));
        await Task.WhenAll(test.Ca.Reminders.RunAsync(), second.Reminders.RunAsync(), test.Ca.Reminders.RunAsync(), second.Reminders.RunAsync());
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            List<string> to = await db.OutboxMail.Where(m => m.Subject.Contains(name)).Select(m => m.To).ToListAsync();
            Assert.Equal(["siti@tanahbumbukab.go.id"], to);
            Assert.Equal("Segel elektronik instansi \"Sistem e-Surat Dinas Kesehatan\" berakhir 30 hari lagi",
                await db.OutboxMail.Where(m => m.Subject.Contains(name)).Select(m => m.Subject).SingleAsync());
        }

        // Renewed (applied for again under its name and approved): no more reminders for the old one.
        await test.Ca.Seals.ApproveAsync((await test.Ca.Seals.ApplyAsync(new NewSeal(name, purpose), world.HeadDinkes)).Id,
            LifecycleWorld.OfficerPassphrase, world.Officer);
        test.Time.SetUtcNow(certificate.NotAfter.AddDays(-7).AddHours(2));
        await test.Ca.Reminders.RunAsync();
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal([30], await db.Reminders.Where(r => r.CertificateId == certificate.Id).Select(r => r.DaysBefore).ToListAsync());
            Assert.Equal(1, await db.OutboxMail.CountAsync(m => m.Subject.Contains(name)));
        }
    }
}
