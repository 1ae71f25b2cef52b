using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Recipients;
using Segel.Core.Signing;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Custody;

/// <summary>
/// Separate encryption keys and their recovery (issue 23.5): with key recovery set up, a holder gets a signing certificate
/// (digitalSignature, nonRepudiation) and an encryption certificate whose key is escrowed; a lost passphrase is recovered by two
/// RA officers opening their shares and the holder choosing a new one — checked with openssl, which opens with the exported key
/// what a colleague encrypted. On both databases.
/// </summary>
public sealed class KeyRecoveryRequestsTests
{
    private const string SitiPassphrase = "kunci rahasia petugas tiga 2026";
    private const string NewPassphrase = "frasa baru setelah lupa 77";
    private static readonly byte[] Letter = "Nota dinas rahasia untuk Budi"u8.ToArray();

    private sealed record World(TestCa Test, LifecycleWorld Lifecycle, Principal Siti, Principal Budi, CertificateView Signing, string Encryption);

    /// <summary>Rahmat and Siti are RA officers holding the recovery key's shares (2 of 2); Budi applies and is approved.</summary>
    private static async Task<World> CreateAsync(TestCa test)
    {
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        CreatedUser siti = await test.Ca.Users.CreateAsync(new NewUser("siti", "Siti Aminah", Role.RaOfficer, "sandi-yang-panjang-5", EmployeeNip: LifecycleWorld.SitiNip),
            Principal.Console);
        await test.Ca.Officers.CertifyAsync("siti", SitiPassphrase, Principal.Console);
        await test.Ca.KeyRecovery.SetUpAsync(["rahmat", "siti"], 2, Principal.Console);
        EnrollmentSnapshot applied = await world.SubmittedAsync(LifecycleWorld.BudiNip, world.HeadKominfo, "budi@tanahbumbukab.go.id");
        (_, CertificateView signing) = await test.Ca.Review.ApproveAsync(applied.Id, LifecycleWorld.OfficerPassphrase, world.Officer);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        long budiId = await db.Employees.Where(e => e.Nip == LifecycleWorld.BudiNip).Select(e => e.Id).SingleAsync();
        string encryption = await db.Certificates.Where(c => c.EmployeeId == budiId && c.Profile == "encryption").Select(c => c.SerialHex).SingleAsync();
        return new World(test, world, new Principal("siti", Role.RaOfficer, UserId: siti.Id, EmployeeId: siti.EmployeeId),
            new Principal("budi", Role.Subscriber, EmployeeId: budiId), signing, encryption);
    }

    private static async Task<MemoryStream> EncryptedToBudiAsync(World w)
    {
        using var letter = new MemoryStream(Letter);
        var envelope = new MemoryStream();
        await w.Test.Ca.Envelopes.EncryptAsync(w.Siti, [w.Encryption], letter, envelope, null);
        envelope.Position = 0;
        return envelope;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_holder_gets_a_signing_and_an_escrowed_encryption_certificate(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        World w = await CreateAsync(test);

        // The key usages, read by openssl: the signing certificate only signs, the encryption one only encrypts.
        string signingText = Tool.OpenSslOk("x509", "-inform", "DER", "-noout", "-text", "-in", test.Directory.Write("signing.der", (await test.Ca.Queries.GetAsync(w.Signing.Serial)).Der));
        Assert.Contains("Digital Signature, Non Repudiation", signingText, StringComparison.Ordinal);
        Assert.DoesNotContain("Key Agreement", signingText, StringComparison.Ordinal);
        Assert.DoesNotContain("Key Encipherment", signingText, StringComparison.Ordinal);
        CertificateRecord encryption = await test.Ca.Queries.GetAsync(w.Encryption);
        string encryptionText = Tool.OpenSslOk("x509", "-inform", "DER", "-noout", "-text", "-in", test.Directory.Write("encryption.der", encryption.Der));
        Assert.Contains("Key Agreement", encryptionText, StringComparison.Ordinal); // ECDH: the tests' keys are P-256
        Assert.DoesNotContain("Digital Signature", encryptionText, StringComparison.Ordinal);
        Assert.Contains("E-mail Protection", encryptionText, StringComparison.Ordinal);
        Assert.Contains("budi@tanahbumbukab.go.id", encryptionText, StringComparison.Ordinal);

        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            CertificateRecord signing = await db.Certificates.SingleAsync(c => c.SerialHex == w.Signing.Serial);
            Assert.Equal(signing.Id, encryption.PairedCertificateId);
            HolderKeyRecord signingKey = await db.HolderKeys.SingleAsync(k => k.CertificateId == signing.Id);
            HolderKeyRecord encryptionKey = await db.HolderKeys.SingleAsync(k => k.CertificateId == encryption.Id);
            Assert.Null(signingKey.Escrow); // a signing key is never escrowed
            Assert.NotNull(encryptionKey.Escrow);
            Assert.NotEqual(signingKey.PublicKey, encryptionKey.PublicKey);
        }

        // The holder's status, signing and overview go by the signing certificate; the directory offers the encryption one.
        OwnKeyOverview own = await test.Ca.OwnKeys.OverviewAsync(w.Budi);
        Assert.Equal(w.Signing.Serial, own.Certificates.Single(c => c.Current).Serial);
        Assert.Equal(2, own.Certificates.Count);
        IReadOnlyList<DirectoryPerson> found = await test.Ca.Recipients.SearchAsync(w.Siti, "Budi");
        Assert.Equal([w.Encryption], found.Single().Certificates.Select(c => c.Serial));
        await Assert.ThrowsAsync<SegelException>(() => test.Ca.Recipients.CertificateAsync(w.Siti, w.Signing.Serial));

        // What a colleague encrypts opens with the passphrase the holder chose, as before.
        using MemoryStream envelope = await EncryptedToBudiAsync(w);
        using var opened = new MemoryStream();
        await test.Ca.Envelopes.DecryptAsync(w.Budi, LifecycleWorld.HolderPassphrase, envelope, opened, null);
        Assert.Equal(Letter, opened.ToArray());
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_officers_recover_a_lost_encryption_key_under_a_new_passphrase(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        World w = await CreateAsync(test);
        using MemoryStream envelope = await EncryptedToBudiAsync(w);
        KeyRecoveryRequests recoveries = test.Ca.KeyRecoveryRequests;

        // Budi forgot the passphrase. He asks; nobody else can ask for him, and he cannot approve.
        var nobody = new Principal("dewi", Role.None);
        await Assert.ThrowsAsync<SegelException>(() => recoveries.RequestAsync(nobody, "Lupa frasa sandi"));
        SegelException tooShort = await Assert.ThrowsAsync<SegelException>(() => recoveries.RequestAsync(w.Budi, "lupa"));
        Assert.Equal(ErrorKind.Invalid, tooShort.Kind);
        KeyRecoveryRequestView asked = await recoveries.RequestAsync(w.Budi, "Lupa frasa sandi setelah cuti panjang");
        Assert.Equal("pending", asked.State);
        Assert.Equal([w.Encryption], asked.Keys);
        Assert.Equal(2, asked.Needed);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => recoveries.RequestAsync(w.Budi, "Sekali lagi, lupa"))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() => recoveries.ApproveAsync(asked.Id, LifecycleWorld.HolderPassphrase, w.Budi))).Kind);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => recoveries.CompleteAsync(asked.Id, NewPassphrase, w.Budi))).Kind);
        // The officers holding shares hear of it (no statement in the mail); the holder not yet.
        Assert.Equal(["rahmat@tanahbumbukab.go.id", "siti@tanahbumbukab.go.id"], await MailedAsync(test, $"Permintaan pemulihan kunci {asked.Id} dari Budi Santoso"));
        Assert.Empty(await MailedAsync(test, $"Permintaan pemulihan kunci {asked.Id} disetujui"));

        // Rahmat opens his share: one of two. A wrong passphrase opens nothing; approving twice counts once.
        await Assert.ThrowsAsync<SegelException>(() => recoveries.ApproveAsync(asked.Id, "bukan frasa sandinya", w.Lifecycle.Officer));
        KeyRecoveryRequestView half = await recoveries.ApproveAsync(asked.Id, LifecycleWorld.OfficerPassphrase, w.Lifecycle.Officer);
        Assert.Equal("pending", half.State);
        Assert.Equal(["rahmat"], half.ApprovedBy);
        Assert.Equal(ErrorKind.Conflict,
            (await Assert.ThrowsAsync<SegelException>(() => recoveries.ApproveAsync(asked.Id, LifecycleWorld.OfficerPassphrase, w.Lifecycle.Officer))).Kind);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => recoveries.CompleteAsync(asked.Id, NewPassphrase, w.Budi))).Kind);

        // Siti opens hers: approved. Only Budi may finish it, with a passphrase that passes the policy.
        KeyRecoveryRequestView approved = await recoveries.ApproveAsync(asked.Id, SitiPassphrase, w.Siti);
        Assert.Equal("approved", approved.State);
        Assert.Equal(["rahmat", "siti"], approved.ApprovedBy);
        Assert.Equal(["budi@tanahbumbukab.go.id"], await MailedAsync(test, $"Permintaan pemulihan kunci {asked.Id} disetujui"));
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() => recoveries.CompleteAsync(asked.Id, NewPassphrase, w.Siti))).Kind);
        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() => recoveries.CompleteAsync(asked.Id, "pendek", w.Budi))).Kind);
        Assert.Equal(1, await recoveries.CompleteAsync(asked.Id, NewPassphrase, w.Budi));
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => recoveries.CompleteAsync(asked.Id, NewPassphrase, w.Budi))).Kind);
        Assert.Equal("completed", (await recoveries.ListAsync(w.Budi)).Single().State);

        // The letter opens with the new passphrase; the signing key is untouched (still the old passphrase).
        using (var opened = new MemoryStream())
        {
            await test.Ca.Envelopes.DecryptAsync(w.Budi, NewPassphrase, envelope, opened, null);
            Assert.Equal(Letter, opened.ToArray());
        }
        await test.Ca.OwnKeys.SetCodeSigningAsync(w.Budi, true, LifecycleWorld.HolderPassphrase, null);

        // The recovered key exported as PKCS#12 opens the envelope with openssl, no Segel code involved.
        byte[] pkcs12 = await test.Ca.OwnKeys.ExportPkcs12Async(w.Budi, w.Encryption, NewPassphrase, "ekspor-sandi-99", null);
        string p12 = test.Directory.Write("budi-encryption.p12", pkcs12);
        Tool.OpenSslOk("pkcs12", "-in", p12, "-passin", "pass:ekspor-sandi-99", "-nodes", "-out", test.Directory.File("budi-encryption.pem"));
        string envelopeFile = test.Directory.Write("letter.p7m", envelope.ToArray());
        Tool.OpenSslOk("cms", "-decrypt", "-inform", "DER", "-in", envelopeFile, "-inkey", test.Directory.File("budi-encryption.pem"),
            "-recip", test.Directory.File("budi-encryption.pem"), "-out", test.Directory.File("letter.txt"));
        Assert.Equal(Letter, File.ReadAllBytes(test.Directory.File("letter.txt")));

        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.All(await db.KeyRecoveryApprovals.ToListAsync(), a => Assert.Empty(a.SealedShare)); // the opened shares are wiped
            string[] actions = [.. await db.AuditRecords.Where(a => a.Action.StartsWith("key-recovery.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync()];
            Assert.Equal(["key-recovery.set-up", "key-recovery.requested", "key-recovery.approved", "key-recovery.approved", "key-recovery.completed"], actions);
        }
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Parallel_approvals_and_completions_on_two_nodes_count_once(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        World w = await CreateAsync(test);
        using SegelCa second = test.OpenSecondNode();

        // Four requests at once from two nodes: one stands.
        var asks = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            try
            {
                return (await (i % 2 == 0 ? test.Ca : second).KeyRecoveryRequests.RequestAsync(w.Budi, $"Lupa frasa sandi ({i})")).Id;
            }
            catch (SegelException e) when (e.Kind == ErrorKind.Conflict)
            {
                return 0L;
            }
        })));
        long id = Assert.Single(asks, a => a != 0);

        // Both officers approve at once, each twice, on both nodes: two approvals, approved once.
        (Principal Officer, string Passphrase)[] officers = [(w.Lifecycle.Officer, LifecycleWorld.OfficerPassphrase), (w.Siti, SitiPassphrase)];
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i < 2 ? test.Ca : second).KeyRecoveryRequests.ApproveAsync(id, officers[i % 2].Passphrase, officers[i % 2].Officer);
            }
            catch (SegelException e) when (e.Kind == ErrorKind.Conflict)
            {
                // the same officer's second approval
            }
        })));
        KeyRecoveryRequestView view = (await test.Ca.KeyRecoveryRequests.ListAsync(w.Budi)).Single();
        Assert.Equal("approved", view.State);
        Assert.Equal(["rahmat", "siti"], view.ApprovedBy.Order());
        Assert.Equal(["budi@tanahbumbukab.go.id"], await MailedAsync(test, $"Permintaan pemulihan kunci {id} disetujui")); // once, by the approval that moved it

        // The holder finishes it from both nodes at once: once.
        int[] done = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            try
            {
                return await (i % 2 == 0 ? test.Ca : second).KeyRecoveryRequests.CompleteAsync(id, NewPassphrase + i, w.Budi);
            }
            catch (SegelException e) when (e.Kind == ErrorKind.Conflict)
            {
                return 0;
            }
        })));
        Assert.Equal(1, done.Sum());
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Action == "key-recovery.completed"));
            Assert.Equal(2, await db.AuditRecords.CountAsync(a => a.Action == "key-recovery.approved"));
        }
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    /// <summary>The addresses a mail with this subject went (or waits) to, in order.</summary>
    private static async Task<List<string>> MailedAsync(TestCa test, string subject)
    {
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        return [.. (await db.OutboxMail.AsNoTracking().Where(m => m.Subject == subject).Select(m => m.To).ToListAsync()).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Opened_shares_swapped_in_the_database_recover_nothing_and_change_nothing()
    {
        using TestCa test = await TestCa.CreateAsync();
        World w = await CreateAsync(test);
        KeyRecoveryRequests recoveries = test.Ca.KeyRecoveryRequests;
        long id = (await recoveries.RequestAsync(w.Budi, "Lupa passphrase setelah cuti")).Id;
        await recoveries.ApproveAsync(id, LifecycleWorld.OfficerPassphrase, w.Lifecycle.Officer);
        await recoveries.ApproveAsync(id, SitiPassphrase, w.Siti);
        byte[] sealedBefore;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            // Each opened share is bound to its request and share: swapped between rows, neither opens.
            List<KeyRecoveryApprovalRecord> approvals = await db.KeyRecoveryApprovals.OrderBy(a => a.Id).ToListAsync();
            (approvals[0].SealedShare, approvals[1].SealedShare) = (approvals[1].SealedShare, approvals[0].SealedShare);
            await db.SaveChangesAsync();
            sealedBefore = (await db.HolderKeys.SingleAsync(k => k.Escrow != null)).SealedPrivateKey;
        }
        SegelException refused = await Assert.ThrowsAsync<SegelException>(() => recoveries.CompleteAsync(id, NewPassphrase, w.Budi));
        Assert.Equal(ErrorKind.Refused, refused.Kind);
        Assert.Equal("approved", (await recoveries.NewestOwnAsync(w.Budi))!.State);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal(sealedBefore, (await db.HolderKeys.SingleAsync(k => k.Escrow != null)).SealedPrivateKey);
        }
    }

    [Fact]
    public async Task Revoking_the_signing_certificate_revokes_its_pair_and_destroys_only_the_signing_key()
    {
        using TestCa test = await TestCa.CreateAsync();
        World w = await CreateAsync(test);
        using MemoryStream envelope = await EncryptedToBudiAsync(w);
        await test.Ca.RevocationRequests.CreateAsync(new NewRevocationRequest(w.Signing.Serial, null, Ground: "key-lost"), w.Budi);
        CertificateRecord encryption = await test.Ca.Queries.GetAsync(w.Encryption);
        Assert.NotNull(encryption.RevokedAt);
        Assert.Equal((await test.Ca.Queries.GetAsync(w.Signing.Serial)).RevocationReason, encryption.RevocationReason);

        // The signing key goes at once; the encryption key, and its escrow, stay for what was encrypted to it.
        Assert.Equal(1, await test.Ca.KeyDestruction.RunAsync());
        OwnKeyOverview own = await test.Ca.OwnKeys.OverviewAsync(w.Budi);
        Assert.NotNull(own.Certificates.Single(c => c.Serial == w.Signing.Serial).KeyDestroyedAt);
        Assert.Null(own.Certificates.Single(c => c.Serial == w.Encryption).KeyDestroyedAt);
        using (var opened = new MemoryStream())
        {
            await test.Ca.Envelopes.DecryptAsync(w.Budi, LifecycleWorld.HolderPassphrase, envelope, opened, null);
            Assert.Equal(Letter, opened.ToArray());
        }
        // A year after expiry it goes too, escrow and all.
        test.Time.SetUtcNow(encryption.NotAfter.AddDays(366));
        Assert.True(await test.Ca.KeyDestruction.RunAsync() >= 1);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            HolderKeyRecord key = await db.HolderKeys.SingleAsync(k => k.CertificateId == encryption.Id);
            Assert.NotNull(key.DestroyedAt);
            Assert.Null(key.Escrow);
            Assert.Empty(key.SealedPrivateKey);
        }
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }
}
