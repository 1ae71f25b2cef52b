using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Notifications;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Lifecycle;

public sealed class EnrollmentTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Application_goes_from_draft_to_certificate_with_a_signed_decision_that_openssl_verifies(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot submitted = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        Assert.Equal(EnrollmentState.Submitted, submitted.State);

        HolderStatus waiting = await test.Ca.HolderStatuses.FindAsync("6310011507850001", null, world.Officer);
        Assert.Equal(NationalStatus.WaitingForVerification, waiting.Status);

        (EnrollmentSnapshot approved, CertificateView certificateView) = await test.Ca.Review.ApproveAsync(submitted.Id, LifecycleWorld.OfficerPassphrase, world.Officer);

        CertificateRecord certificate = await test.Ca.Queries.GetAsync(certificateView.Serial);
        Assert.Equal(EnrollmentState.Approved, approved.State);
        Assert.Contains("Budi Santoso", certificate.SubjectDn, StringComparison.Ordinal);
        Assert.Equal(NationalStatus.Issue, (await test.Ca.HolderStatuses.FindAsync(null, LifecycleWorld.BudiNip, world.Officer)).Status);

        // The decision is CMS signed by the officer's own certificate, which chains to Segel's root.
        EnrollmentDetail detail = await test.Ca.EnrollmentQueries.GetAsync(submitted.Id, world.Auditor);
        DecisionSummary decision = Assert.Single(detail.Decisions);
        File.WriteAllBytes(test.Directory.File("decision.p7m"), Convert.FromBase64String(decision.CmsBase64));
        await File.WriteAllTextAsync(test.Directory.File("chain.pem"), await ChainPemAsync(test));
        string content = Tool.OpenSslOk("cms", "-verify", "-in", test.Directory.File("decision.p7m"), "-inform", "DER", "-CAfile", test.Directory.File("chain.pem"),
            "-purpose", "any");
        Assert.Contains("\"decision\":\"approved\"", content, StringComparison.Ordinal);
        Assert.Contains("\"officer\":\"rahmat\"", content, StringComparison.Ordinal);

        // Approving twice is a conflict, not a second certificate.
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Review.ApproveAsync(submitted.Id, LifecycleWorld.OfficerPassphrase, world.Officer))).Kind);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(1, await db.Certificates.CountAsync(c => c.EmployeeId == certificate.EmployeeId));
        Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "personal-data.read" && a.Actor == "auditor"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rules_of_the_regulation_are_enforced_in_the_core(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        var request = new NewEnrollment(LifecycleWorld.BudiNip, "sekretariat@tanahbumbukab.go.id");

        // Another agency's head may not apply for Budi (Pasal 10(3)).
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Enrollments.CreateAsync(request, world.HeadDinkes))).Kind);
        // Contact address off the government domain.
        Assert.Equal("contactEmail", (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.CreateAsync(request with { ContactEmail = "kantor@gmail.com" }, world.HeadKominfo))).Field);

        EnrollmentSnapshot created = await test.Ca.Enrollments.CreateAsync(request, world.HeadKominfo, "retry-1");
        // A retried create with the same key returns the same application.
        Assert.Equal(created.Id, (await test.Ca.Enrollments.CreateAsync(request, world.HeadKominfo, "retry-1")).Id);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.CreateAsync(request with { Kind = "renewal" }, world.HeadKominfo, "retry-1"))).Kind);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Enrollments.CreateAsync(request, world.HeadKominfo))).Kind);

        // Type sniffed from content: a renamed text file is refused.
        Assert.Equal("file", (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.AttachAsync(created.Id, DocumentKind.IdCard, "MZ not really a PDF"u8.ToArray(), "ktp.pdf", world.HeadKominfo))).Field);
        Assert.Equal("file", (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.AttachAsync(created.Id, DocumentKind.IdCard, new byte[DocumentIntake.MaxBytes + 1], "ktp.pdf", world.HeadKominfo))).Field);

        // Incomplete: refused with what is missing.
        SegelException incomplete = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Enrollments.SubmitAsync(created.Id, world.HeadKominfo));
        Assert.Contains("request-letter", incomplete.Message, StringComparison.Ordinal);
        Assert.Contains("subscriber agreement", incomplete.Message, StringComparison.Ordinal);

        await world.AttachAllAsync(created.Id, world.HeadKominfo);
        // Without accepting the current agreement version, nothing moves (Pasal 7).
        string code = await world.CodeSentToAsync("budi@tanahbumbukab.go.id");
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation(code, 99, LifecycleWorld.HolderPassphrase), null))).Kind);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Enrollments.SubmitAsync(created.Id, world.HeadKominfo))).Kind);
        // A weak passphrase or one containing the NIP is refused.
        Assert.Equal("passphrase", (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation(code, 1, "x" + LifecycleWorld.BudiNip), null))).Field);
        // Wrong codes count; the fifth locks the code.
        for (int i = 0; i < Enrollments.MaxCodeAttempts; i++)
        {
            Assert.Equal("code", (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation("WRONGCOD", 1, LifecycleWorld.HolderPassphrase), null))).Field);
        }
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation(code, 1, LifecycleWorld.HolderPassphrase), null))).Kind);
        test.Time.Advance(TimeSpan.FromMinutes(2));
        await test.Ca.Enrollments.ResendCodeAsync(created.Id, world.HeadKominfo);
        await test.Ca.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation(await world.CodeSentToAsync("budi@tanahbumbukab.go.id"), 1, LifecycleWorld.HolderPassphrase), null);
        await test.Ca.Enrollments.SubmitAsync(created.Id, world.HeadKominfo);

        // Deciding needs an RA officer with a certificate of their own, and the officer's right passphrase.
        var uncertified = new Principal("lain", Role.RaOfficer);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Review.ApproveAsync(created.Id, "apa saja 12345", uncertified))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Review.ApproveAsync(created.Id, LifecycleWorld.OfficerPassphrase, world.HeadKominfo))).Kind);
        Assert.Equal("passphrase", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Review.ApproveAsync(created.Id, "salah sekali 123", world.Officer))).Field);
        Assert.Equal("reason", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Review.RejectAsync(created.Id, " ", LifecycleWorld.OfficerPassphrase, world.Officer))).Field);

        EnrollmentSnapshot rejected = await test.Ca.Review.RejectAsync(created.Id, "Scan KTP tidak terbaca", LifecycleWorld.OfficerPassphrase, world.Officer);
        Assert.Equal(EnrollmentState.Rejected, rejected.State);
        MailMessage? notice = await test.Ca.Outbox.PendingForAsync("sekretariat@tanahbumbukab.go.id", Principal.Console);
        Assert.Contains("Scan KTP tidak terbaca", notice!.Body, StringComparison.Ordinal);
        // The agency fixes the KTP and resubmits; the holder's confirmation stands.
        await test.Ca.Enrollments.AttachAsync(created.Id, DocumentKind.IdCard, LifecycleWorld.Png(), "ktp-baru.png", world.HeadKominfo);
        await test.Ca.Enrollments.SubmitAsync(created.Id, world.HeadKominfo);
        await test.Ca.Review.ApproveAsync(created.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_create_sent_at_once_from_two_nodes_with_one_idempotency_key_makes_one_application(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        using SegelCa second = test.OpenSecondNode();
        var request = new NewEnrollment(LifecycleWorld.BudiNip, "sekretariat@tanahbumbukab.go.id");
        EnrollmentSnapshot[] made = await Task.WhenAll(
            test.Ca.Enrollments.CreateAsync(request, world.HeadKominfo, "kunci-sama"),
            second.Enrollments.CreateAsync(request, world.HeadKominfo, "kunci-sama"));
        Assert.Equal(made[0].Id, made[1].Id);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(1, await db.Enrollments.CountAsync());
        Assert.Equal(1, await db.OutboxMail.CountAsync(m => m.To == "budi@tanahbumbukab.go.id"));
    }

    private static async Task<string> ChainPemAsync(TestCa test)
    {
        var issuer = await test.Ca.Ring.GetActiveAsync(Segel.Core.Storage.AuthorityRole.IssuingCa);
        var root = await test.Ca.Ring.GetActiveAsync(Segel.Core.Storage.AuthorityRole.RootCa);
        return issuer.Certificate.ExportCertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n";
    }
}
