using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Custody;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Security;

/// <summary>
/// Every lockout holds when the guesses arrive at once, on both databases and split over two nodes: 50 wrong guesses in
/// parallel, then the right secret is refused, and no more guesses were checked than the limit allows.
/// </summary>
public sealed class ParallelGuessTests
{
    private const int Guesses = 50;
    private const string Password = "kuda-laut-berlari-7";

    private static async Task<T[]> FromTwoNodesAsync<T>(TestCa test, SegelCa second, Func<SegelCa, int, Task<T>> guess) =>
        await Task.WhenAll(Enumerable.Range(0, Guesses).Select(i => Task.Run(() => guess(i % 2 == 0 ? test.Ca : second, i))));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Parallel_wrong_passwords_lock_the_account_and_an_unknown_name_answers_the_same(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        await test.Ca.Users.CreateAsync(new NewUser("budi", "Budi Santoso", Role.Subscriber, Password), Principal.Console);

        foreach (string name in new[] { "budi", "tidak-ada" })
        {
            SignInResult[] results = await FromTwoNodesAsync(test, second, (node, i) => node.Users.SignInAsync(name, $"salah-{i}-password", null, "192.0.2.7"));
            Assert.All(results, r => Assert.NotEqual(SignInOutcome.Success, r.Outcome));
            Assert.Contains(results, r => r.Outcome == SignInOutcome.Locked);
            // Only as many were checked as the limit allows; the others were refused before any hashing.
            Assert.Equal(UserAccounts.MaxFailures, results.Count(r => r.Outcome == SignInOutcome.Invalid) + 1);
        }
        Assert.Equal(SignInOutcome.Locked, (await test.Ca.Users.SignInAsync("budi", Password, null, null)).Outcome);
        Assert.Equal(SignInOutcome.Locked, (await second.Users.SignInAsync("tidak-ada", Password, null, null)).Outcome);
        Assert.NotNull((await test.Ca.Users.GetAsync("budi", Principal.Console)).LockedUntil);

        test.Time.Advance(UserAccounts.LockoutDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(SignInOutcome.Success, (await second.Users.SignInAsync("budi", Password, null, null)).Outcome);
        Assert.Equal(SignInOutcome.Invalid, (await second.Users.SignInAsync("tidak-ada", Password, null, null)).Outcome);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(UserAccounts.MaxFailures, await db.AuditRecords.CountAsync(a => a.Subject == "budi" && (a.Action == "user.sign-in-failed" || a.Action == "user.locked")));
        // The guard keeps a keyed hash of the names tried, never the names (a password typed as a name would be kept in clear).
        Assert.DoesNotContain(await db.SignInGuards.Select(g => g.NameKey).ToListAsync(), k => k.Contains("tidak", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Parallel_wrong_passphrases_lock_the_holder_key_after_exactly_five(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        (HolderKeyRecord record, X509Certificate2 certificate) = await world.OfficerKeyAsync();

        SegelException[] refusals = await FromTwoNodesAsync(test, second, (node, i) =>
            Assert.ThrowsAsync<SegelException>(() => node.HolderKeys.UnlockAsync(record, certificate, $"bukan kalimat sandi {i}", Actor.System)));
        Assert.Equal(HolderKeyVault.MaxAttempts, refusals.Count(e => e.Code == SigningErrors.WrongPassphrase));
        Assert.Equal(Guesses - HolderKeyVault.MaxAttempts, refusals.Count(e => e.Code == SigningErrors.Locked));

        SegelException locked = await Assert.ThrowsAsync<SegelException>(() => test.Ca.HolderKeys.UnlockAsync(record, certificate, LifecycleWorld.OfficerPassphrase, Actor.System));
        Assert.Equal(SigningErrors.Locked, locked.Code);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            HolderKeyRecord after = await db.HolderKeys.AsNoTracking().SingleAsync(k => k.Id == record.Id);
            Assert.Equal(HolderKeyVault.MaxAttempts, after.FailedAttempts);
            Assert.NotNull(after.LockedAt);
            Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Subject == $"key:{record.Id}" && a.Action == "holder-key.locked"));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Parallel_wrong_one_time_signing_codes_lock_the_key_after_exactly_five(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        (HolderKeyRecord record, _) = await world.OfficerKeyAsync();
        const string email = "rahmat@tanahbumbukab.go.id";
        await test.Ca.HolderKeys.EnableCodeSigningAsync(record, LifecycleWorld.OfficerPassphrase, Actor.System);
        var application = new Principal("api:esurat", Role.None, Scopes: new HashSet<string> { ApiScopes.SignPdf });
        await test.Ca.SigningCodes.SendAsync(null, email, "Disposisi 12/2026", application, null);
        string sent = System.Text.RegularExpressions.Regex.Match((await test.Ca.Outbox.PendingForAsync(email, Principal.Console))!.Body, @"(?:code is|pakai Anda:) (\d{6})").Groups[1].Value;
        byte[] pdf = SamplePdf.Letter();

        SegelException[] refusals = await FromTwoNodesAsync(test, second, (node, i) =>
            Assert.ThrowsAsync<SegelException>(() => node.Signing.SignAsync(Request(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) == sent ? "999999" : i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)), application, null)));
        Assert.Equal(HolderKeyVault.MaxAttempts, refusals.Count(e => e.Code == SigningErrors.WrongPassphrase));
        Assert.Equal(Guesses - HolderKeyVault.MaxAttempts, refusals.Count(e => e.Code == SigningErrors.Locked));
        // The code that was really sent no longer signs: the key is locked until an RA officer unlocks it.
        Assert.Equal(SigningErrors.Locked, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Signing.SignAsync(Request(sent), application, null))).Code);

        Signing.PdfSigningRequest Request(string code) => new() { Email = email, Code = code, Documents = [new Signing.PdfToSign(pdf)], Level = Segel.Pdf.Signing.PadesLevel.BaselineB };
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Parallel_wrong_confirmation_codes_use_up_the_code(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        using SegelCa second = test.OpenSecondNode();
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        EnrollmentSnapshot created = await test.Ca.Enrollments.CreateAsync(new NewEnrollment(LifecycleWorld.BudiNip, "sekretariat@tanahbumbukab.go.id", "new"), world.HeadKominfo);
        await world.AttachAllAsync(created.Id, world.HeadKominfo);
        string code = await world.CodeSentToAsync("budi@tanahbumbukab.go.id");
        int version = (await test.Ca.Agreements.CurrentAsync()).Version;

        SegelException[] refusals = await FromTwoNodesAsync(test, second, (node, i) =>
            Assert.ThrowsAsync<SegelException>(() => node.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation($"SALAH{i:D3}", version, LifecycleWorld.HolderPassphrase), null)));
        Assert.Equal(Enrollments.MaxCodeAttempts, refusals.Count(e => e.Field == "code"));
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Enrollments.ConfirmAsync(created.Id, new HolderConfirmation(code, version, LifecycleWorld.HolderPassphrase), null))).Kind);
    }
}
