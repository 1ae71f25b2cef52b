using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Lifecycle;

/// <summary>
/// A forgotten passphrase (Pasal 15(4), issue 20.5): the holder applies for re-issuance with the superior's statement as
/// the only new document, the rest of the file reused from the last approved application; they confirm with a new
/// passphrase and send it; the RA approves as usual and the old certificate is revoked — on both databases.
/// </summary>
public sealed class HolderReissueTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_holder_who_forgot_the_passphrase_reissues_with_the_superiors_statement(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot first = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView old) = await test.Ca.Review.ApproveAsync(first.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        long budiId;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            budiId = await db.Employees.Where(e => e.Nip == LifecycleWorld.BudiNip).Select(e => e.Id).SingleAsync();
        }
        var budi = new Principal("budi", Role.Subscriber, EmployeeId: budiId);
        var siti = new Principal("siti", Role.Subscriber, EmployeeId: budiId + 1);

        Assert.Equal("statement", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Enrollments.StartReissueAsync(new HolderReissue(null, null), budi))).Field);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.StartReissueAsync(new HolderReissue(LifecycleWorld.Pdf("pernyataan"), "p.pdf"), siti))).Kind); // Siti holds nothing
        EnrollmentSnapshot reissue = await test.Ca.Enrollments.StartReissueAsync(
            new HolderReissue(LifecycleWorld.Pdf("Surat pernyataan atasan langsung: passphrase Budi terlupa"), "pernyataan-atasan.pdf"), budi);
        Assert.Equal(EnrollmentState.Draft, reissue.State);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.StartReissueAsync(new HolderReissue(LifecycleWorld.Pdf("lagi"), "p.pdf"), budi))).Kind);

        // The file: the five documents of the approved application, unchanged, and the statement; the agency's contact kept.
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            var before = await db.Documents.Where(d => d.EnrollmentId == first.Id && !d.Superseded).Select(d => new { d.Kind, d.Sha256 }).ToListAsync();
            var now = await db.Documents.Where(d => d.EnrollmentId == reissue.Id).Select(d => new { d.Kind, d.Sha256 }).ToListAsync();
            Assert.Equal(6, now.Count);
            Assert.All(before, d => Assert.Contains(now, n => n.Kind == d.Kind && n.Sha256.SequenceEqual(d.Sha256)));
            Assert.Contains(now, n => n.Kind == DocumentKind.SuperiorStatement);
        }
        // A reused document still opens for the RA (sealed under its hash, not its row).
        Assert.Equal("application/pdf", (await test.Ca.EnrollmentQueries.ReadDocumentAsync(reissue.Id, DocumentKind.RequestLetter, world.Officer, null)).ContentType);

        // Not sendable before the holder confirms; then only by the holder (or their agency's head), not by others.
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Enrollments.SubmitAsync(reissue.Id, budi))).Kind);
        int version = (await test.Ca.Agreements.CurrentAsync()).Version;
        await test.Ca.Enrollments.ConfirmAsync(reissue.Id, new HolderConfirmation(await world.CodeSentToAsync("budi@tanahbumbukab.go.id"), version, "passphrase baru yang diingat 2027"), "203.0.113.9");
        Assert.True((await test.Ca.Enrollments.OwnReissueAsync(budi))!.Confirmed);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Enrollments.SubmitAsync(reissue.Id, siti))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Enrollments.SubmitAsync(reissue.Id, world.HeadDinkes))).Kind);
        Assert.Equal(EnrollmentState.Submitted, (await test.Ca.Enrollments.SubmitAsync(reissue.Id, budi)).State);
        Assert.Equal("submitted", (await test.Ca.Enrollments.OwnReissueAsync(budi))!.State);

        (_, CertificateView renewed) = await test.Ca.Review.ApproveAsync(reissue.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        Assert.NotEqual(old.Serial, renewed.Serial);
        Assert.NotNull((await test.Ca.Queries.GetAsync(old.Serial)).RevokedAt);
        Assert.Null(await test.Ca.Enrollments.OwnReissueAsync(budi));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }
}
