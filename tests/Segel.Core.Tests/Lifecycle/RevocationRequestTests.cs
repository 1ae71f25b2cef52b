using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Lifecycle;

public sealed class RevocationRequestTests
{
    private static async Task<(TestCa Test, LifecycleWorld World, CertificateRecord Budi)> IssuedAsync(string provider)
    {
        TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot submitted = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView budiView) = await test.Ca.Review.ApproveAsync(submitted.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        CertificateRecord budi = await test.Ca.Queries.GetAsync(budiView.Serial);
        return (test, world, budi);
    }

    private static async Task<bool> RevokedAsync(TestCa test, CertificateRecord certificate)
    {
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        return (await db.Certificates.SingleAsync(c => c.Id == certificate.Id)).RevokedAt is not null;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_transfer_is_requested_with_a_letter_decided_by_an_officer_and_the_agency_is_told(string provider)
    {
        (TestCa test, LifecycleWorld world, CertificateRecord budi) = await IssuedAsync(provider);
        using (test)
        {
            var request = new NewRevocationRequest(budi.SerialHex, "affiliationChanged", "kepegawaian@tanahbumbukab.go.id", LifecycleWorld.Pdf("surat mutasi"), "mutasi.pdf");
            Assert.Equal("letter", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.RevocationRequests.CreateAsync(request with { Letter = null }, world.HeadKominfo))).Field);
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.RevocationRequests.CreateAsync(request, world.HeadDinkes))).Kind);
            RevocationRequestSnapshot pending = await test.Ca.RevocationRequests.CreateAsync(request, world.HeadKominfo);
            Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.RevocationRequests.CreateAsync(request, world.HeadKominfo))).Kind);
            Assert.False(await RevokedAsync(test, budi));

            await test.Ca.RevocationRequests.ApproveAsync(pending.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
            Assert.True(await RevokedAsync(test, budi));
            CertificateStatus status = await test.Ca.StatusSource.GetStatusAsync("issuing-ca", budi.SerialHex, default);
            Assert.Equal(RevocationReason.AffiliationChanged, status.Reason);
            Assert.Equal(NationalStatus.Revoke, (await test.Ca.HolderStatuses.FindAsync(null, LifecycleWorld.BudiNip, world.Officer)).Status);
            await using SegelDbContext db = test.Ca.Database.CreateContext();
            Assert.True(await db.OutboxMail.AnyAsync(m => m.To == "kepegawaian@tanahbumbukab.go.id" && m.Subject.Contains("dicabut")));
            // Final: no second decision, no second revocation.
            Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.RevocationRequests.RejectAsync(pending.Id, "sudah diputus", LifecycleWorld.OfficerPassphrase, world.Officer))).Kind);
            Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.RevocationRequests.CreateAsync(request, world.HeadKominfo))).Kind);
            // The person may apply again (Pasal 17(5)).
            await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_holders_compromise_report_revokes_at_once_and_an_officer_reviews_it_afterwards(string provider)
    {
        (TestCa test, LifecycleWorld world, CertificateRecord budi) = await IssuedAsync(provider);
        using (test)
        {
            var holder = new Principal("budi", Role.Subscriber, EmployeeId: budi.EmployeeId);
            var stranger = new Principal("siti", Role.Subscriber, EmployeeId: budi.EmployeeId + 100);
            var report = new NewRevocationRequest(budi.SerialHex, "keyCompromise", Statement: "Laptop dicuri");
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.RevocationRequests.CreateAsync(report, stranger))).Kind);
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.RevocationRequests.CreateAsync(report with { Reason = "cessationOfOperation" }, holder))).Kind);
            RevocationRequestSnapshot effective = await test.Ca.RevocationRequests.CreateAsync(report, holder);
            Assert.Equal(RevocationRequestState.Effective, effective.State);
            Assert.True(await RevokedAsync(test, budi));
            RevocationRequestSnapshot reviewed = await test.Ca.RevocationRequests.ApproveAsync(effective.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
            Assert.Equal(RevocationRequestState.Reviewed, reviewed.State);
            Assert.Equal("reviewed", (await test.Ca.RevocationRequestQueries.GetAsync(effective.Id, holder)).State);
        }
    }

    [Theory]
    [InlineData("misuse", RevocationReason.KeyCompromise)]
    [InlineData("wrong-information", RevocationReason.AffiliationChanged)]
    [InlineData("key-lost", RevocationReason.KeyCompromise)]
    [InlineData("key-leaked", RevocationReason.KeyCompromise)]
    public async Task Each_of_the_holders_grounds_revokes_at_once_with_its_rfc_reason(string ground, RevocationReason reason)
    {
        (TestCa test, LifecycleWorld world, CertificateRecord budi) = await IssuedAsync("sqlite");
        using (test)
        {
            var holder = new Principal("budi", Role.Subscriber, EmployeeId: budi.EmployeeId);
            // Pasal 19(d) is the holder's own: an agency head cannot ask on these grounds, nor a holder on an agency's.
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.RevocationRequests.CreateAsync(new NewRevocationRequest(budi.SerialHex, null, Ground: ground), world.HeadKominfo))).Kind);
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.RevocationRequests.CreateAsync(new NewRevocationRequest(budi.SerialHex, null, Ground: "death"), holder))).Kind);
            // A reason that contradicts the ground is refused rather than one of them silently winning.
            Assert.Equal("reason", (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.RevocationRequests.CreateAsync(new NewRevocationRequest(budi.SerialHex, "privilegeWithdrawn", Ground: ground), holder))).Field);

            RevocationRequestSnapshot effective = await test.Ca.RevocationRequests.CreateAsync(new NewRevocationRequest(budi.SerialHex, null, Statement: "…", Ground: ground), holder);
            Assert.Equal(RevocationRequestState.Effective, effective.State);
            Assert.Equal(reason, (await test.Ca.StatusSource.GetStatusAsync("issuing-ca", budi.SerialHex, default)).Reason);
            RevocationRequestView view = await test.Ca.RevocationRequestQueries.GetAsync(effective.Id, holder);
            Assert.Equal(ground, view.Ground);
            Assert.Equal(reason.ToRfcName(), view.Reason);
            Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_agency_head_reports_a_death_with_a_letter_and_the_ra_decides(string provider)
    {
        (TestCa test, LifecycleWorld world, CertificateRecord budi) = await IssuedAsync(provider);
        using (test)
        {
            Assert.Equal("ground", (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.RevocationRequests.CreateAsync(new NewRevocationRequest(budi.SerialHex, null, Ground: "wafat"), world.HeadKominfo))).Field);
            var request = new NewRevocationRequest(budi.SerialHex, null, "kepegawaian@tanahbumbukab.go.id", LifecycleWorld.Pdf("surat keterangan kematian"),
                "kematian.pdf", Ground: "death");
            RevocationRequestSnapshot pending = await test.Ca.RevocationRequests.CreateAsync(request, world.HeadKominfo);
            Assert.Equal(RevocationRequestState.Pending, pending.State);
            Assert.False(await RevokedAsync(test, budi));
            await test.Ca.RevocationRequests.ApproveAsync(pending.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
            Assert.Equal(RevocationReason.CessationOfOperation, (await test.Ca.StatusSource.GetStatusAsync("issuing-ca", budi.SerialHex, default)).Reason);
            Assert.Equal("death", (await test.Ca.RevocationRequestQueries.GetAsync(pending.Id, world.Officer)).Ground);
            Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reissue_after_key_loss_revokes_the_old_certificate_in_the_approving_transaction(string provider)
    {
        (TestCa test, LifecycleWorld world, CertificateRecord budi) = await IssuedAsync(provider);
        using (test)
        {
            EnrollmentSnapshot reissue = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id", "reissue");
            Assert.Equal(NationalStatus.Renew, (await test.Ca.HolderStatuses.FindAsync(null, LifecycleWorld.BudiNip, world.Officer)).Status);
            (_, CertificateView freshView) = await test.Ca.Review.ApproveAsync(reissue.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
            CertificateRecord fresh = await test.Ca.Queries.GetAsync(freshView.Serial);
            await using SegelDbContext db = test.Ca.Database.CreateContext();
            CertificateRecord old = await db.Certificates.SingleAsync(c => c.Id == budi.Id);
            Assert.Equal((int)RevocationReason.Superseded, old.RevocationReason);
            Assert.Equal(fresh.IssuedAt, old.RevokedAt);
            Assert.True(await db.Documents.AnyAsync(d => d.EnrollmentId == reissue.Id && d.Kind == DocumentKind.SuperiorStatement));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Five_wrong_passphrases_lock_the_key_the_holder_shows_as_suspended_until_an_officer_unlocks_it(string provider)
    {
        (TestCa test, LifecycleWorld world, CertificateRecord budi) = await IssuedAsync(provider);
        using (test)
        {
            // The officer's own key: five wrong passphrases and even the right one no longer opens it.
            var officerEmployee = new Principal("rahmat", Role.RaOfficer, EmployeeId: world.Officer.EmployeeId);
            EnrollmentSnapshot other = await world.SubmittedAsync(LifecycleWorld.SitiNip, world.HeadDinkes, "siti@tanahbumbukab.go.id");
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal("passphrase", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Review.ApproveAsync(other.Id, "salah sekali " + i, officerEmployee))).Field);
            }
            Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Review.ApproveAsync(other.Id, LifecycleWorld.OfficerPassphrase, officerEmployee))).Kind);
            Assert.Equal(NationalStatus.Suspend, (await test.Ca.HolderStatuses.FindAsync(null, LifecycleWorld.OfficerNip, world.Auditor)).Status);

            // Another officer lifts the lock; it is recorded.
            var colleague = new Principal("sari", Role.RaOfficer, EmployeeId: 9999);
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.HolderKeys.UnlockEmployeeAsync(LifecycleWorld.OfficerNip, world.HeadKominfo))).Kind);
            Assert.Equal(1, await test.Ca.HolderKeys.UnlockEmployeeAsync(LifecycleWorld.OfficerNip, colleague));
            await test.Ca.Review.ApproveAsync(other.Id, LifecycleWorld.OfficerPassphrase, officerEmployee);
            await using SegelDbContext db = test.Ca.Database.CreateContext();
            Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "holder-key.locked"));
            Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "holder-key.unlocked" && a.Actor == "sari"));
            _ = budi;
        }
    }
}
