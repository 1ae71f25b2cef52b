using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Operations;
using Segel.Core.Signing;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Testing;

namespace Segel.Core.Tests.Supervision;

/// <summary>
/// Issue 17, the RA's and the signing service's own records: applications, the RA's decisions, revocation requests,
/// holder keys, signatures, agencies and settings. An UPDATE, a DELETE and an INSERT made behind Segel's back are
/// named by <c>audit verify</c>; at run time nothing is issued, decided, opened or shown from such a row; the
/// administrators are mailed once per row. Everything Segel itself wrote on the way there verifies clean. Both databases.
/// </summary>
public sealed class LifecycleSealTests
{
    private static readonly Principal Application = new("api:esurat", Role.None, Scopes: new HashSet<string> { ApiScopes.SignPdf });

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Lifecycle_rows_changed_behind_segels_back_are_named_and_never_acted_on(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        // Times with every digit a real clock has, finer than either database keeps: the seals must not depend on them.
        test.Time.Advance(TimeSpan.FromTicks(1_234_567));
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        await test.Ca.Users.CreateAsync(new NewUser("admin.siti", "Siti Aminah", Role.Admin, "sandi-yang-panjang-9", EmployeeNip: LifecycleWorld.SitiNip), Principal.Console);
        await test.Ca.RegencySettings.UpdateAsync(["tanahbumbukab.go.id", "pemkab.example.id"], ["30", "7"], Principal.Console, "cli");
        EnrollmentSnapshot budi = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView budiCertificate) = await test.Ca.Review.ApproveAsync(budi.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        EnrollmentSnapshot siti = await world.SubmittedAsync(LifecycleWorld.SitiNip, world.HeadDinkes, "siti@tanahbumbukab.go.id");
        EnrollmentSnapshot dewi = await world.SubmittedAsync(LifecycleWorld.DewiNip, world.HeadDinkes, "dewi@tanahbumbukab.go.id");
        IReadOnlyList<SignedDocument> signed = await test.Ca.Signing.SignAsync(new PdfSigningRequest
        {
            Email = "budi@tanahbumbukab.go.id",
            Passphrase = LifecycleWorld.HolderPassphrase,
            Documents = [new PdfToSign(SamplePdf.Letter("Surat satu")), new PdfToSign(SamplePdf.Letter("Surat dua"))],
            Level = Segel.Pdf.Signing.PadesLevel.BaselineB,
        }, Application, null);
        RevocationRequestSnapshot request = await test.Ca.RevocationRequests.CreateAsync(
            new NewRevocationRequest(budiCertificate.Serial, "affiliationChanged", "kepegawaian@tanahbumbukab.go.id", LifecycleWorld.Pdf("surat mutasi"), "mutasi.pdf"),
            world.HeadKominfo);
        HolderKeyRecord budiKey;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            budiKey = await db.HolderKeys.AsNoTracking().SingleAsync(k => k.Id == db.Enrollments.Where(e => e.Id == budi.Id).Select(e => e.HolderKeyId).Single());
        }
        for (int i = 0; i < Segel.Core.Custody.HolderKeyVault.MaxAttempts; i++)
        {
            await Assert.ThrowsAsync<SegelException>(() => test.Ca.HolderKeys.ChangePassphraseAsync(budiKey, $"salah {i}", "kalimat sandi baru 2027", Actor.System, []));
        }
        // Everything Segel wrote itself — confirmations, decisions, a key locked by wrong guesses, signatures — is sealed.
        AuditVerification clean = await test.Ca.Audit.VerifyAsync(Principal.Console);
        Assert.True(clean.Intact, string.Join("\n", clean.Differences));

        string fake = new('f', 32);
        EnrollmentRecord application;
        HolderKeyRecord key;
        DecisionRecord decision;
        RevocationRequestRecord revocation;
        long sitiKeyId;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            sitiKeyId = (await db.Enrollments.SingleAsync(e => e.Id == siti.Id)).HolderKeyId!.Value;
            // UPDATEs
            await db.Enrollments.Where(e => e.Id == siti.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.HolderEmail, "penyusup@gmail.com"));
            await db.RevocationRequests.Where(r => r.Id == request.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Reason, 1));
            await db.HolderKeys.Where(k => k.Id == budiKey.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LockedAt, (DateTimeOffset?)null).SetProperty(k => k.FailedAttempts, 0));
            await db.Signatures.Where(x => x.Id == signed[0].Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.DocumentName, "Surat lain.pdf"));
            await db.Agencies.Where(a => a.Code == "DINKES").ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, "Dinas Lain"));
            await db.WorkUnits.Where(w => w.Name == "Bidang Persandian").ExecuteUpdateAsync(s => s.SetProperty(w => w.Name, "Bidang Lain"));
            // INSERTs of numbered rows: copies of real ones, left without a seal as an insider's INSERT would be
            // (EF writes the provider's column types and numbers the row; the seal is then cleared in SQL).
            application = await db.Enrollments.AsNoTracking().SingleAsync(e => e.Id == siti.Id);
            key = await db.HolderKeys.AsNoTracking().SingleAsync(k => k.Id == budiKey.Id);
            decision = await db.Decisions.AsNoTracking().SingleAsync(d => d.SubjectType == "enrollment" && d.SubjectId == budi.Id);
            revocation = await db.RevocationRequests.AsNoTracking().SingleAsync(r => r.Id == request.Id);
            UserRecord user = await db.Users.AsNoTracking().SingleAsync(u => u.Username == "kepala.dinkes");
            (application.Id, key.Id, decision.Id, revocation.Id, user.Id, user.Username) = (0, 0, 0, 0, 0, "siluman");
            (key.CertificateId, decision.SubjectId) = (null, siti.Id);
            db.AddRange(application, key, decision, revocation, user);
            db.Add(new AgencyRecord { Code = "SILUMAN", Name = "Dinas Siluman" });
            db.Add(new SettingRecord { Key = "siluman", Value = "1", ChangedBy = "siapa" });
            await db.SaveChangesAsync();
            await db.Enrollments.Where(e => e.Id == application.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Seal, (byte[]?)null));
            await db.HolderKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.Seal, (byte[]?)null));
            await db.Decisions.Where(d => d.Id == decision.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Seal, (byte[]?)null));
            await db.RevocationRequests.Where(r => r.Id == revocation.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Seal, (byte[]?)null));
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Seal, (byte[]?)null));
            await db.Agencies.Where(a => a.Code == "SILUMAN").ExecuteUpdateAsync(s => s.SetProperty(a => a.Seal, (byte[]?)null));
            await db.Settings.Where(x => x.Key == "siluman").ExecuteUpdateAsync(s => s.SetProperty(x => x.Seal, (byte[]?)null));
            // DELETEs
            await db.Decisions.Where(d => d.SubjectType == "enrollment" && d.SubjectId == budi.Id && d.Id != decision.Id).ExecuteDeleteAsync();
            await db.Users.Where(u => u.Username == "kepala.dinkes").ExecuteDeleteAsync();
            await db.HolderKeys.Where(k => k.Id == sitiKeyId).ExecuteDeleteAsync();
            await db.Documents.Where(d => d.EnrollmentId == dewi.Id).ExecuteDeleteAsync();
            await db.Enrollments.Where(e => e.Id == dewi.Id).ExecuteDeleteAsync();
            await db.Signatures.Where(x => x.Id == signed[1].Id).ExecuteDeleteAsync();
            await db.Settings.Where(x => x.Key == "reminder-days").ExecuteDeleteAsync();
            // INSERTs: rows as Segel would write them, but with no seal (or a seal copied from another row)
            SignatureRecord copy = await db.Signatures.AsNoTracking().SingleAsync(x => x.Id == signed[0].Id);
            byte[] stolen = copy.Seal!;
            copy.Id = fake;
            db.Signatures.Add(copy); // EF writes the provider's column types; the seal is then replaced in SQL, as an insider would
            await db.SaveChangesAsync();
            await db.Signatures.Where(x => x.Id == fake).ExecuteUpdateAsync(s => s.SetProperty(x => x.Seal, stolen));
        }

        AuditVerification result = await test.Ca.Audit.VerifyAsync(Principal.Console);
        Assert.False(result.Intact);
        string[] expected =
        [
            $"application {siti.Id}: the row no longer matches its seal",
            $"revocation-request {request.Id}: the row no longer matches its seal",
            $"holder-key {budiKey.Id}: the row no longer matches its seal",
            $"signature {signed[0].Id}: the row no longer matches its seal",
            "agency DINKES: the row no longer matches its seal",
            $"enrollment:{budi.Id}: the record shows 1 decisions, but 0 decision rows remain",
            $"application {dewi.Id}: the record shows it created, but the row is gone",
            $"signature {signed[1].Id}: the record shows it created, but the row is gone",
            "setting reminder-days: the record shows it created, but the row is gone",
            $"signature {fake}: the row no longer matches its seal",
            $"work-unit ",
            $"application {application.Id}: a row without a seal",
            $"holder-key {key.Id}: a row without a seal",
            $"decision {decision.Id}: a row without a seal",
            $"revocation-request {revocation.Id}: a row without a seal",
            "user siluman: a row without a seal",
            "agency SILUMAN: a row without a seal",
            "setting siluman: a row without a seal",
            "user kepala.dinkes: the record shows it created, but the row is gone",
            $"holder-key {sitiKeyId}: an application names it, but the row is gone",
        ];
        foreach (string difference in expected)
        {
            Assert.True(result.Differences.Any(d => d.StartsWith(difference, StringComparison.Ordinal)), $"not named: {difference}\n{string.Join("\n", result.Differences)}");
        }
        Assert.DoesNotContain(result.Differences, d => d.StartsWith($"application {budi.Id}:", StringComparison.Ordinal));

        // At run time: no approval, no decision, no key opened, no signature shown.
        for (int i = 0; i < 2; i++)
        {
            SegelException approve = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Review.ApproveAsync(siti.Id, LifecycleWorld.OfficerPassphrase, world.Officer));
            Assert.Equal(ErrorKind.Refused, approve.Kind);
            Assert.Contains($"application {siti.Id} fails its integrity check", approve.Message, StringComparison.Ordinal);
        }
        SegelException decide = await Assert.ThrowsAsync<SegelException>(() => test.Ca.RevocationRequests.ApproveAsync(request.Id, LifecycleWorld.OfficerPassphrase, world.Officer));
        Assert.Contains("decide on this request", decide.Message, StringComparison.Ordinal);
        Assert.Contains("memutus permohonan ini", decide.MessageIn(System.Globalization.CultureInfo.GetCultureInfo("id")), StringComparison.Ordinal);
        SegelException sign = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Signing.SignAsync(new PdfSigningRequest
        {
            Email = "budi@tanahbumbukab.go.id",
            Passphrase = LifecycleWorld.HolderPassphrase,
            Documents = [new PdfToSign(SamplePdf.Letter("Surat tiga"))],
            Level = Segel.Pdf.Signing.PadesLevel.BaselineB,
        }, Application, null));
        Assert.Contains($"holder-key {budiKey.Id} fails its integrity check", sign.Message, StringComparison.Ordinal);
        Assert.Null(await test.Ca.Signatures.FindPublicAsync(signed[0].Id));
        Assert.Null(await test.Ca.Signatures.FindPublicAsync(fake));
        Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync("siluman", "sandi-yang-panjang-2", null, "10.0.0.1")).Outcome);

        // The administrator linked to an employee hears of it once per row, in Bahasa Indonesia; /health is degraded.
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            List<string> subjects = await db.OutboxMail.Where(m => m.To == "siti@tanahbumbukab.go.id" && m.Subject.StartsWith("Alarm integritas")).Select(m => m.Subject).ToListAsync();
            Assert.Equal(1, subjects.Count(s => s == $"Alarm integritas Segel: permohonan {siti.Id}"));
            Assert.Contains($"Alarm integritas Segel: kunci pemilik {budiKey.Id}", subjects);
            Assert.Contains($"Alarm integritas Segel: tanda tangan {fake}", subjects);
        }
        Assert.Equal("degraded", (await test.Ca.Health.CheckAsync()).Status);
        IntegrityAlarmNotice? banner = await test.Ca.Health.AlarmForAsync(new Principal("admin.siti", Role.Admin));
        Assert.NotNull(banner);
        Assert.Null(await test.Ca.Health.AlarmForAsync(world.HeadKominfo));
    }
}
