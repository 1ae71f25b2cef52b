using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Signing;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Custody;

/// <summary>
/// Key destruction (Pasal 19(g), issue 20.6): a kept key is destroyed a grace after its certificate's expiry — revoked or
/// not, since it also opens the documents encrypted to it (issue 23.5); the sealed bytes are then nowhere in the database's
/// files, the destruction is in the audit chain and the holder sees it — on both databases (the file search on SQLite,
/// whose files the test can read).
/// </summary>
public sealed class KeyDestructionTests
{
    private static async Task<byte[]> SealedKeyAsync(TestCa test, string serial)
    {
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        return await (from k in db.HolderKeys join c in db.Certificates on k.CertificateId equals c.Id where c.SerialHex == serial select k.SealedPrivateKey).SingleAsync();
    }

    /// <summary>Whether any of the database's files (main, WAL, shared memory) holds <paramref name="secret"/>.</summary>
    private static bool InDatabaseFiles(TestCa test, byte[] secret)
    {
        foreach (string file in Directory.EnumerateFiles(test.Directory.Path, "segel.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(secret) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_kept_key_outlives_a_revocation_for_decryption_and_goes_a_year_after_expiry(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot budiApplied = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView budi) = await test.Ca.Review.ApproveAsync(budiApplied.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        EnrollmentSnapshot sitiApplied = await world.SubmittedAsync(LifecycleWorld.SitiNip, world.HeadDinkes, "siti@tanahbumbukab.go.id");
        (_, CertificateView siti) = await test.Ca.Review.ApproveAsync(sitiApplied.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        byte[] budiKey = await SealedKeyAsync(test, budi.Serial);
        byte[] sitiKey = await SealedKeyAsync(test, siti.Serial);
        Assert.Equal(0, await test.Ca.KeyDestruction.RunAsync()); // nothing is due while both are valid
        if (provider == "sqlite")
        {
            await test.Ca.Database.ForgetFreedPagesAsync(default);
            Assert.True(InDatabaseFiles(test, budiKey), "the search must find a key that is there");
        }

        // Siti encrypts a letter to Budi. Budi is then transferred: revoked at once, and he can no longer sign — but the
        // key is kept, for the letters encrypted to his certificate before, which he can still open.
        long budiId = await EmployeeIdAsync(test, LifecycleWorld.BudiNip);
        var holder = new Principal("budi", Role.Subscriber, EmployeeId: budiId);
        var sitiHolder = new Principal("siti", Role.Subscriber, EmployeeId: await EmployeeIdAsync(test, LifecycleWorld.SitiNip));
        using var letter = new MemoryStream("Nota dinas rahasia untuk Budi"u8.ToArray());
        using var envelope = new MemoryStream();
        await test.Ca.Envelopes.EncryptAsync(sitiHolder, [budi.Serial], letter, envelope, null);
        await test.Ca.RevocationRequests.CreateAsync(new NewRevocationRequest(budi.Serial, null, Ground: "key-lost"), holder);
        Assert.Equal(0, await test.Ca.KeyDestruction.RunAsync());
        Assert.Equal(budiKey, await SealedKeyAsync(test, budi.Serial));
        Assert.Null((await test.Ca.OwnKeys.OverviewAsync(holder)).Certificates.Single(c => c.Serial == budi.Serial).KeyDestroyedAt);
        using (var opened = new MemoryStream())
        {
            await test.Ca.Envelopes.DecryptAsync(holder, LifecycleWorld.HolderPassphrase, envelope, opened, null);
            Assert.Equal("Nota dinas rahasia untuk Budi"u8.ToArray(), opened.ToArray());
        }

        // Both certificates expire; their keys are kept a year (documents encrypted to them), then destroyed.
        DateTimeOffset notAfter = (await test.Ca.Queries.GetAsync(siti.Serial)).NotAfter;
        test.Time.SetUtcNow(notAfter.AddDays(364));
        Assert.Equal(0, await test.Ca.KeyDestruction.RunAsync());
        test.Time.SetUtcNow(notAfter.AddDays(366));
        Assert.True(await test.Ca.KeyDestruction.RunAsync() >= 2); // Budi's, Siti's, and the RA officer's, certified the same day
        Assert.Empty(await SealedKeyAsync(test, budi.Serial));
        Assert.Empty(await SealedKeyAsync(test, siti.Serial));
        if (provider == "sqlite")
        {
            Assert.False(InDatabaseFiles(test, budiKey), "the destroyed key's sealed bytes are still in the database files");
            Assert.False(InDatabaseFiles(test, sitiKey));
        }
        OwnKeyOverview own = await test.Ca.OwnKeys.OverviewAsync(holder);
        Assert.Equal(test.Time.GetUtcNow(), own.Certificates.Single(c => c.Serial == budi.Serial).KeyDestroyedAt);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "holder-key.destroyed" && a.Subject == $"certificate:{budi.Serial}"));
        }
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Two_nodes_destroy_a_key_once()
    {
        using TestCa test = await TestCa.CreateAsync("postgres");
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot applied = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView budi) = await test.Ca.Review.ApproveAsync(applied.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        test.Time.SetUtcNow((await test.Ca.Queries.GetAsync(budi.Serial)).NotAfter.AddDays(366));
        int kept;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            kept = await db.HolderKeys.CountAsync(k => k.DestroyedAt == null); // Budi's and the RA officer's
        }
        using SegelCa second = test.OpenSecondNode();
        int[] rounds = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? test.Ca : second).KeyDestruction.RunAsync())));
        Assert.Equal(kept, rounds.Sum());
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(kept, await db.AuditRecords.CountAsync(a => a.Action == "holder-key.destroyed"));
        }
    }

    private static async Task<long> EmployeeIdAsync(TestCa test, string nip)
    {
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        return await db.Employees.Where(e => e.Nip == nip).Select(e => e.Id).SingleAsync();
    }

    [Fact]
    public async Task A_key_row_changed_outside_segel_is_left_alone_and_the_alarm_raised_once()
    {
        using TestCa test = await TestCa.CreateAsync("sqlite");
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot applied = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView budi) = await test.Ca.Review.ApproveAsync(applied.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        test.Time.SetUtcNow((await test.Ca.Queries.GetAsync(budi.Serial)).NotAfter.AddDays(366));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            // Someone edits the kept key's row in the database: its lock date, say.
            await db.HolderKeys.Where(k => k.CertificateId == db.Certificates.Where(c => c.SerialHex == budi.Serial).Select(c => c.Id).Single())
                .ExecuteUpdateAsync(x => x.SetProperty(k => k.LockedAt, DateTimeOffset.UnixEpoch));
        }

        Assert.Equal(1, await test.Ca.KeyDestruction.RunAsync()); // the RA officer's key, certified the same day; not Budi's
        Assert.Equal(0, await test.Ca.KeyDestruction.RunAsync());
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Action == "integrity.alarm" && a.Subject.StartsWith("holder-key ")));
            Assert.False(await db.AuditRecords.AnyAsync(a => a.Action == "holder-key.destroyed" && a.Subject == $"certificate:{budi.Serial}"));
            Assert.NotEmpty(await SealedKeyAsync(test, budi.Serial));
        }
        // A day later the alarm is raised again, in case nobody looked.
        test.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await test.Ca.KeyDestruction.RunAsync());
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(2, await db.AuditRecords.CountAsync(a => a.Action == "integrity.alarm" && a.Subject.StartsWith("holder-key ")));
        }
    }
}
