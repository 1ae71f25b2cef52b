using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Operations;
using Segel.Core.Storage;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.Core.Tests.Custody;

/// <summary>
/// Key recovery's set-up (issue 23.5): an administrator splits a recovery key among RA officers; two of them, each opening
/// their share with the key Segel keeps under their own passphrase, recover what was escrowed to it — one cannot.
/// </summary>
public sealed class KeyRecoverySetupTests
{
    private const string BudiPassphrase = "kunci rahasia petugas dua 2026", SitiPassphrase = "kunci rahasia petugas tiga 2026";

    private static async Task<LifecycleWorld> OfficersAsync(TestCa test)
    {
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        await test.Ca.Users.CreateAsync(new NewUser("budi", "Budi Santoso", Role.RaOfficer, "sandi-yang-panjang-4", EmployeeNip: LifecycleWorld.BudiNip), Principal.Console);
        await test.Ca.Officers.CertifyAsync("budi", BudiPassphrase, Principal.Console);
        await test.Ca.Users.CreateAsync(new NewUser("siti", "Siti Aminah", Role.RaOfficer, "sandi-yang-panjang-5", EmployeeNip: LifecycleWorld.SitiNip), Principal.Console);
        await test.Ca.Officers.CertifyAsync("siti", SitiPassphrase, Principal.Console);
        return world;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_officers_open_their_shares_and_recover_what_was_escrowed(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await OfficersAsync(test);
        Assert.Null(await test.Ca.KeyRecovery.CurrentAsync(Principal.Console));

        RecoveryOverview made = await test.Ca.KeyRecovery.SetUpAsync(["rahmat", "Budi", " siti "], 2, Principal.Console);
        Assert.Equal(2, made.Threshold);
        Assert.Equal(["rahmat", "budi", "siti"], made.Officers.Select(o => o.Username));
        Assert.Equal([1, 2, 3], made.Officers.Select(o => o.Point));
        RecoveryOverview current = (await test.Ca.KeyRecovery.CurrentAsync(Principal.Console))!;
        Assert.Equal(made.CertificateSha256, current.CertificateSha256);
        Assert.Equal(made.Officers, current.Officers);

        (RecoveryKeySet keys, Dictionary<string, OfficerShare> shares) = await StoredAsync(test);
        using RSA holder = RSA.Create(2048);
        byte[] pkcs8 = holder.ExportPkcs8PrivateKey();
        byte[] escrow = KeyRecovery.Escrow(pkcs8, keys.Certificate);

        SecretShare budi = await OpenAsync(test, shares["budi"], BudiPassphrase);
        SecretShare siti = await OpenAsync(test, shares["siti"], SitiPassphrase);
        Assert.Equal(pkcs8, KeyRecovery.Recover(keys, [budi, siti], escrow));
        Assert.Throws<CryptographicException>(() => KeyRecovery.Recover(keys, [budi], escrow));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Setting_up_again_retires_the_old_key_which_still_opens_its_escrows()
    {
        using TestCa test = await TestCa.CreateAsync();
        await OfficersAsync(test);
        await test.Ca.KeyRecovery.SetUpAsync(["rahmat", "budi", "siti"], 2, Principal.Console);
        (RecoveryKeySet first, Dictionary<string, OfficerShare> firstShares) = await StoredAsync(test);
        byte[] escrow = KeyRecovery.Escrow("kunci lama"u8, first.Certificate);

        RecoveryOverview again = await test.Ca.KeyRecovery.SetUpAsync(["budi", "siti"], 2, Principal.Console);
        Assert.Equal(["budi", "siti"], (await test.Ca.KeyRecovery.CurrentAsync(Principal.Console))!.Officers.Select(o => o.Username));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await db.RecoveryKeys.CountAsync(k => k.RetiredAt != null));
            Assert.Equal(1, await db.RecoveryKeys.CountAsync(k => k.RetiredAt == null));
            Assert.Equal(2, await db.AuditRecords.CountAsync(a => a.Action == "key-recovery.set-up"));
        }
        SecretShare[] opened = [await OpenAsync(test, firstShares["rahmat"], LifecycleWorld.OfficerPassphrase), await OpenAsync(test, firstShares["siti"], SitiPassphrase)];
        Assert.Equal("kunci lama"u8.ToArray(), KeyRecovery.Recover(first, opened, escrow));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Set_ups_at_once_on_two_nodes_leave_one_current_key(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await OfficersAsync(test);
        await test.Ca.KeyRecovery.SetUpAsync(["rahmat", "budi"], 2, Principal.Console);
        using SegelCa second = test.OpenSecondNode();
        Task<RecoveryOverview>[] attempts = [.. Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => (i % 2 == 0 ? test.Ca : second).KeyRecovery.SetUpAsync(["budi", "siti"], 2, Principal.Console)))];
        try
        {
            await Task.WhenAll(attempts);
        }
        catch (SegelException)
        {
        }
        Assert.All(attempts.Where(a => a.IsFaulted), a => Assert.Equal(ErrorKind.Conflict, Assert.IsType<SegelException>(a.Exception!.InnerException).Kind));
        Assert.Contains(attempts, a => a.IsCompletedSuccessfully);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(1, await db.RecoveryKeys.CountAsync(k => k.RetiredAt == null));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task An_officers_key_holding_a_share_outlives_its_certificate()
    {
        using TestCa test = await TestCa.CreateAsync();
        await OfficersAsync(test);
        await test.Ca.KeyRecovery.SetUpAsync(["budi", "siti"], 2, Principal.Console);
        (RecoveryKeySet keys, Dictionary<string, OfficerShare> shares) = await StoredAsync(test);
        byte[] escrow = KeyRecovery.Escrow("kunci yang dititipkan"u8, keys.Certificate);

        test.Time.SetUtcNow(new DateTimeOffset(shares["budi"].Officer.NotAfter.ToUniversalTime()).AddDays(400));
        Assert.Equal(1, await test.Ca.KeyDestruction.RunAsync()); // Rahmat's: he holds no share
        SecretShare[] opened = [await OpenAsync(test, shares["budi"], BudiPassphrase), await OpenAsync(test, shares["siti"], SitiPassphrase)];
        Assert.Equal("kunci yang dititipkan"u8.ToArray(), KeyRecovery.Recover(keys, opened, escrow));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Health_warns_while_a_recovery_key_has_fewer_officers_able_to_act_than_it_takes(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await OfficersAsync(test);
        await test.Ca.KeyRecovery.SetUpAsync(["rahmat", "budi", "siti"], 2, Principal.Console);
        Assert.DoesNotContain((await test.Ca.Health.CheckAsync()).Warnings, w => w.Code == "recovery-short");

        // Siti is away (her account disabled): two of three still can. Then Budi is no longer an RA officer: one can't.
        await test.Ca.Users.SetDisabledAsync("siti", true, Principal.Console);
        Assert.DoesNotContain((await test.Ca.Health.CheckAsync()).Warnings, w => w.Code == "recovery-short");
        await test.Ca.Users.ChangeRolesAsync("budi", Role.Subscriber, null, Principal.Console, null);
        long id;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            id = await db.RecoveryKeys.Select(k => k.Id).SingleAsync();
        }
        HealthWarning short1 = Assert.Single((await test.Ca.Health.CheckAsync()).Warnings, w => w.Code == "recovery-short");
        Assert.Equal(($"recovery-key:{id}", 1L), (short1.Subject, short1.Value));

        // Siti back and a new recovery key between her and Rahmat: the old key has nothing escrowed to it, so nothing to warn of.
        await test.Ca.Users.SetDisabledAsync("siti", false, Principal.Console);
        await test.Ca.KeyRecovery.SetUpAsync(["rahmat", "siti"], 2, Principal.Console);
        Assert.DoesNotContain((await test.Ca.Health.CheckAsync()).Warnings, w => w.Code == "recovery-short");
    }

    [Fact]
    public async Task Only_an_administrator_sets_it_up_and_mistakes_are_clear()
    {
        using TestCa test = await TestCa.CreateAsync();
        LifecycleWorld world = await OfficersAsync(test);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.KeyRecovery.SetUpAsync(["rahmat", "budi"], 2, world.Officer))).Kind);
        Assert.Equal("threshold", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.KeyRecovery.SetUpAsync(["rahmat", "budi"], 3, Principal.Console))).Field);
        Assert.Equal("threshold", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.KeyRecovery.SetUpAsync(["rahmat", "budi"], 1, Principal.Console))).Field);
        Assert.Equal("officers", (await Assert.ThrowsAsync<SegelException>(() => test.Ca.KeyRecovery.SetUpAsync(["rahmat", "RAHMAT", "budi"], 2, Principal.Console))).Field);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.KeyRecovery.SetUpAsync(["rahmat", "tidak-ada"], 2, Principal.Console))).Kind);
        // An agency head is no RA officer, and holds no share.
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.KeyRecovery.SetUpAsync(["rahmat", "kepala.kominfo"], 2, Principal.Console))).Kind);
        Assert.Null(await test.Ca.KeyRecovery.CurrentAsync(world.Officer));
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.KeyRecovery.CurrentAsync(world.HeadKominfo))).Kind);
    }

    private static async Task<(RecoveryKeySet Keys, Dictionary<string, OfficerShare> Shares)> StoredAsync(TestCa test)
    {
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        RecoveryKeyRecord key = await db.RecoveryKeys.AsNoTracking().SingleAsync(k => k.RetiredAt == null);
        var rows = await (from s in db.RecoveryShares.AsNoTracking()
                          join u in db.Users.AsNoTracking() on s.EmployeeId equals u.EmployeeId
                          join c in db.Certificates.AsNoTracking() on s.CertificateId equals c.Id
                          where s.RecoveryKeyId == key.Id
                          select new { u.Username, c.Der, s.Point, s.Envelope }).ToListAsync();
        var shares = rows.ToDictionary(r => r.Username, r => new OfficerShare(X509CertificateLoader.LoadCertificate(r.Der), (byte)r.Point, r.Envelope));
        return (new RecoveryKeySet(X509CertificateLoader.LoadCertificate(key.CertificateDer), key.EncryptedPrivateKey, key.Threshold, [.. shares.Values]), shares);
    }

    /// <summary>The officer's kept key, unlocked with their passphrase, opens their share.</summary>
    private static async Task<SecretShare> OpenAsync(TestCa test, OfficerShare share, string passphrase)
    {
        HolderKeyRecord key;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            long certificateId = await db.Certificates.Where(c => c.SerialHex == share.Officer.SerialNumber).Select(c => c.Id).SingleAsync();
            key = await db.HolderKeys.AsNoTracking().SingleAsync(k => k.CertificateId == certificateId);
        }
        using X509Certificate2 withKey = await test.Ca.HolderKeys.UnlockAsync(key, share.Officer, passphrase, new Actor("test:officer"));
        using AsymmetricAlgorithm privateKey = (AsymmetricAlgorithm?)withKey.GetRSAPrivateKey() ?? withKey.GetECDsaPrivateKey()!;
        return KeyRecovery.OpenShare(share, privateKey);
    }
}
