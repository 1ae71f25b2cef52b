using Segel.Core.Configuration;
using Segel.Core.Lifecycle;
using Segel.Core.Operations;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>The health report warns before things hurt: no mail server, mail stuck, a CRL not republished, a certificate near its end.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task A_fresh_ca_without_a_mail_server_is_degraded_not_failing()
    {
        using TestCa test = await TestCa.CreateAsync();
        CaHealthReport report = await test.Ca.Health.CheckAsync();
        Assert.True(report.Healthy);
        Assert.Equal("degraded", report.Status);
        Assert.Equal("smtp-not-configured", Assert.Single(report.Warnings).Code);
    }

    [Fact]
    public async Task Stuck_mail_an_overdue_crl_and_an_ending_certificate_are_each_warned()
    {
        // A mail server nobody listens on: every delivery fails.
        using TestCa test = await TestCa.CreateAsync(configure: o => o.Smtp = new SmtpOptions { Host = "127.0.0.1", Port = 9, Security = "none" });
        Assert.Equal("ok", (await test.Ca.Health.CheckAsync()).Status);

        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        await test.Ca.Enrollments.CreateAsync(new NewEnrollment(LifecycleWorld.BudiNip, "sekretariat@tanahbumbukab.go.id", "new"), world.HeadKominfo);
        await test.Ca.Outbox.DeliverAsync();
        test.Time.Advance(CaHealth.OutboxPatience + TimeSpan.FromMinutes(1));
        CaHealthReport stuck = await test.Ca.Health.CheckAsync();
        Assert.Contains(stuck.Warnings, w => w.Code == "outbox-stuck" && w.Value >= 1);
        Assert.True(stuck.Operations.OutboxBacklog >= 1);

        // No CRL job runs here: a day and two hours later the CRLs are overdue, though still valid.
        test.Time.Advance(TimeSpan.FromHours(26));
        CaHealthReport overdue = await test.Ca.Health.CheckAsync();
        Assert.True(overdue.Healthy);
        Assert.Contains(overdue.Warnings, w => w.Code == "crl-overdue" && w.Subject == "issuing-ca");

        // The OCSP responder certificate (a year) with less than 90 days left, had it not been renewed.
        test.Time.Advance(TimeSpan.FromDays(300));
        CaHealthReport ending = await test.Ca.Health.CheckAsync();
        HealthWarning expiring = Assert.Single(ending.Warnings, w => w.Code == "certificate-expiring");
        Assert.Equal("ocsp-responder", expiring.Subject);
        Assert.InRange(expiring.Value, 1, 89);
        Assert.Equal("failing", ending.Status); // and the CRLs have long run out
    }

    [Fact]
    public async Task A_directory_that_does_not_answer_is_warned_and_keeps_the_changes()
    {
        // A directory nobody listens on: publishing fails, and the change waits rather than being lost.
        using TestCa test = await TestCa.CreateAsync(configure: o => o.Directory = new DirectoryOptions { Url = "ldap://127.0.0.1:9", BaseDn = "ou=certificates,dc=tanahbumbukab,dc=go,dc=id" });
        await using (Storage.SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Storage.DirectoryChangeRecord.Note(db, 1, test.Time.GetUtcNow());
            await db.SaveChangesAsync();
        }
        Errors.SegelException refused = await Assert.ThrowsAsync<Errors.SegelException>(() => test.Ca.DirectoryPublishing.PublishPendingAsync());
        Assert.Equal(Errors.ErrorKind.NotReady, refused.Kind);
        Assert.DoesNotContain(await test.Ca.Health.CheckAsync() is { } fresh ? fresh.Warnings : [], w => w.Code == "directory-stuck");

        test.Time.Advance(CaHealth.OutboxPatience + TimeSpan.FromMinutes(1));
        CaHealthReport behind = await test.Ca.Health.CheckAsync();
        HealthWarning warning = Assert.Single(behind.Warnings, w => w.Code == "directory-stuck");
        Assert.Equal(1, warning.Value);
        Assert.Equal(1, behind.Operations.DirectoryBacklog);
    }
}
