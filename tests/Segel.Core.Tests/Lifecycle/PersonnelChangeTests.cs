using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Organization;
using Segel.Core.Storage;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;
using Segel.Testing;

namespace Segel.Core.Tests.Lifecycle;

/// <summary>
/// HR changes start the regulation's procedure (issue 20.3): a personnel import that moves, retires or loses a holder
/// opens a revocation proposal with the ground chosen, for the former agency's head and the RA; nothing is revoked until
/// the head sends it with the signed letter and an officer approves — on both databases.
/// </summary>
public sealed class PersonnelChangeTests
{
    private const string Header = "nip,nik,name,position,agency_code,agency_name,work_unit,email,status_kepegawaian\n";

    private static string Budi(string agency, string status = "aktif") => agency == "DINKES"
        ? $"{LifecycleWorld.BudiNip},6310011507850001,Budi Santoso,Pranata Komputer,DINKES,Dinas Kesehatan,,budi@tanahbumbukab.go.id,{status}\n"
        : $"{LifecycleWorld.BudiNip},6310011507850001,Budi Santoso,Pranata Komputer,DISKOMINFO,Dinas Komunikasi dan Informatika,Bidang Persandian,budi@tanahbumbukab.go.id,{status}\n";

    private static async Task<(TestCa Test, LifecycleWorld World, string Serial)> BudiCertifiedAsync(string provider)
    {
        TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot submitted = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView issued) = await test.Ca.Review.ApproveAsync(submitted.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        return (test, world, issued.Serial);
    }

    private static Task<ImportReport> ImportAsync(TestCa test, string rows) =>
        test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Header + rows)), new Principal("admin", Role.Admin), "192.0.2.9",
            new EmployeeImportOptions());

    private static async Task<RevocationRequestView> ProposalAsync(TestCa test, Principal by) =>
        (await test.Ca.RevocationRequestQueries.ListAsync("proposed", 0, 10, by)).Items.Single();

    private static async Task<CertificateStatus> StatusAsync(TestCa test, string serial) =>
        await test.Ca.StatusSource.GetStatusAsync("issuing-ca", serial, default);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_transfer_in_the_personnel_file_goes_proposal_head_ra_revoked_and_a_new_application_in_the_new_agency(string provider)
    {
        (TestCa test, LifecycleWorld world, string serial) = await BudiCertifiedAsync(provider);
        using (test)
        {
            ImportReport moved = await ImportAsync(test, Budi("DINKES"));
            Assert.Equal(1, moved.RevocationsProposed);
            // The proposal is the former agency's, with the ground chosen; nothing is revoked yet.
            RevocationRequestView proposal = await ProposalAsync(test, world.HeadKominfo);
            Assert.Equal("transfer", proposal.Ground);
            Assert.Equal("affiliationChanged", proposal.Reason);
            Assert.Equal("DISKOMINFO", proposal.Agency);
            Assert.Empty((await test.Ca.RevocationRequestQueries.ListAsync("proposed", 0, 10, world.HeadDinkes)).Items);
            Assert.Equal(CertificateState.Good, (await StatusAsync(test, serial)).State);
            await using (SegelDbContext db = test.Ca.Database.CreateContext())
            {
                Assert.True(await db.OutboxMail.AnyAsync(m => m.To == "budi@tanahbumbukab.go.id" && m.Subject.Contains("diusulkan untuk dicabut")));
            }
            // The same file again opens no second proposal.
            Assert.Equal(0, (await ImportAsync(test, Budi("DINKES"))).RevocationsProposed);

            // The new agency's head cannot send it on, and the RA decides only once the former head has, with the letter.
            var endorsement = new RevocationEndorsement(LifecycleWorld.Pdf("surat permohonan pencabutan: mutasi"), "mutasi.pdf", "sekretariat@tanahbumbukab.go.id");
            Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.RevocationRequests.EndorseAsync(proposal.Id, endorsement, world.HeadDinkes))).Kind);
            Assert.Equal("letter", (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.RevocationRequests.EndorseAsync(proposal.Id, endorsement with { Letter = null }, world.HeadKominfo))).Field);
            Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.RevocationRequests.ApproveAsync(proposal.Id, LifecycleWorld.OfficerPassphrase, world.Officer))).Kind);
            RevocationRequestSnapshot sent = await test.Ca.RevocationRequests.EndorseAsync(proposal.Id, endorsement, world.HeadKominfo);
            Assert.Equal(RevocationRequestState.Pending, sent.State);
            Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.RevocationRequests.EndorseAsync(proposal.Id, endorsement, world.HeadKominfo))).Kind);
            await test.Ca.RevocationRequests.ApproveAsync(proposal.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
            CertificateStatus revoked = await StatusAsync(test, serial);
            Assert.Equal(CertificateState.Revoked, revoked.State);
            Assert.Equal(RevocationReason.AffiliationChanged, revoked.Reason);

            // Pasal 17(5): the new agency applies, and the certificate names it.
            EnrollmentSnapshot again = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadDinkes, "budi@tanahbumbukab.go.id");
            (_, CertificateView renewed) = await test.Ca.Review.ApproveAsync(again.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
            Assert.Contains("Dinas Kesehatan", renewed.Subject, StringComparison.Ordinal);
            Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
        }
    }

    [Theory]
    [InlineData("pensiun", "retirement", RevocationReason.CessationOfOperation)]
    [InlineData("meninggal", "death", RevocationReason.CessationOfOperation)]
    [InlineData("diberhentikan", "dismissal", RevocationReason.AffiliationChanged)]
    public async Task Leaving_the_service_proposes_revocation_on_its_ground_and_closes_the_account(string status, string ground, RevocationReason reason)
    {
        (TestCa test, LifecycleWorld world, string serial) = await BudiCertifiedAsync("sqlite");
        using (test)
        {
            await test.Ca.Invitations.SendAsync(LifecycleWorld.BudiNip, world.Officer, null); // Budi has an account, waiting for its password
            // Leaving outweighs a move: a retiree the file also moved is revoked for the retirement, proposed to the former head.
            ImportReport report = await ImportAsync(test, Budi("DINKES", status));
            Assert.Equal(1, report.RevocationsProposed);
            Assert.Equal(1, report.Accounts.Disabled);
            Assert.Equal(status == "pensiun" ? "retired" : status == "meninggal" ? "deceased" : "dismissed",
                (await test.Ca.Employees.GetAsync(LifecycleWorld.BudiNip, false, world.Officer)).Employment);
            RevocationRequestView proposal = await ProposalAsync(test, world.HeadKominfo);
            Assert.Equal(ground, proposal.Ground);
            await test.Ca.RevocationRequests.EndorseAsync(proposal.Id,
                new RevocationEndorsement(LifecycleWorld.Pdf("surat permohonan pencabutan"), "surat.pdf", "sekretariat@tanahbumbukab.go.id"), world.HeadKominfo);
            await test.Ca.RevocationRequests.ApproveAsync(proposal.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
            Assert.Equal(reason, (await StatusAsync(test, serial)).Reason);
            // No one applies for them again while the file says they no longer serve.
            Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.Enrollments.CreateAsync(new NewEnrollment(LifecycleWorld.BudiNip, "sekretariat@tanahbumbukab.go.id"), world.HeadDinkes))).Kind);
        }
    }

    [Fact]
    public async Task A_proposal_the_file_got_wrong_is_rejected_by_the_ra_and_nothing_is_revoked()
    {
        (TestCa test, LifecycleWorld world, string serial) = await BudiCertifiedAsync("sqlite");
        using (test)
        {
            await ImportAsync(test, Budi("DISKOMINFO", "pensiun"));
            RevocationRequestView proposal = await ProposalAsync(test, world.Officer);
            await test.Ca.RevocationRequests.RejectAsync(proposal.Id, "Data kepegawaian keliru; belum pensiun.", LifecycleWorld.OfficerPassphrase, world.Officer);
            Assert.Equal(CertificateState.Good, (await StatusAsync(test, serial)).State);
            // A retirement date still to come changes nothing; a wrong word in the status column rejects the row.
            ImportReport later = await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(
                "nip,nik,name,position,agency_code,agency_name,work_unit,email,status,retirement_date\n" +
                $"{LifecycleWorld.BudiNip},6310011507850001,Budi Santoso,Pranata Komputer,DISKOMINFO,Dinas Komunikasi dan Informatika,Bidang Persandian,budi@tanahbumbukab.go.id,aktif,2040-01-01\n")),
                Actor.System);
            Assert.Equal(0, later.RevocationsProposed);
            ImportReport wrong = await ImportAsync(test, Budi("DISKOMINFO", "cuti"));
            Assert.False(wrong.Applied);
            Assert.Contains("status must be active, retired, deceased or dismissed (aktif, pensiun, meninggal, diberhentikan)", wrong.Rows[0].Problems);
        }
    }
}
