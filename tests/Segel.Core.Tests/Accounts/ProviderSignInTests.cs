using System.Text;
using System.Web;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Segel.Core.Accounts;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Accounts;

/// <summary>
/// Sign-in through the identity provider (issue 20.2), the rules below the protocol: which account a provider's person
/// is, the link made once and for good, Segel's roles, the officers' second factor, and the invited holder's first
/// sign-in — on both databases. The protocol itself is tested in the browser against a real provider (SingleSignOnTests).
/// </summary>
public sealed class ProviderSignInTests
{
    private const string Issuer = "https://sso.tanahbumbukab.go.id";
    private const string AndiNip = "199001012015011001";
    private const string AndiEmail = "Andi@tanahbumbukab.go.id";
    private const string SitiNip = "199202022016022002";
    private const string SitiEmail = "siti@tanahbumbukab.go.id";
    private const string Password = "perahu-layar-di-teluk-9";

    private const string Csv = "nip,nik,name,position,agency_code,agency_name,work_unit,email\n" +
        $"{AndiNip},6310010101900001,Andi Pratama,Pengelola Data,DISKOMINFO,Dinas Komunikasi dan Informatika,,{AndiEmail}\n" +
        $"{SitiNip},6310014202920002,Siti Rahma,Sandiman,DISKOMINFO,Dinas Komunikasi dan Informatika,,{SitiEmail}\n";

    private static ProviderIdentity Person(string subject, string? nip = null, string? email = null, bool verified = true, params string[] amr) =>
        new(Issuer, subject, nip, email, verified, amr);

    private static async Task<TestCa> RegencyAsync(string provider, Action<Configuration.SegelOptions>? configure = null)
    {
        TestCa test = await TestCa.CreateAsync(provider, configure);
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), Actor.System);
        return test;
    }

    private static async Task<SignInOutcome> OutcomeAsync(TestCa test, ProviderIdentity who, string? code = null) =>
        (await test.Ca.Sessions.StartAsync(who, code, "192.0.2.7")).Result.Outcome;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_first_sign_in_finds_the_employee_and_links_the_account_for_good(string provider)
    {
        using TestCa test = await RegencyAsync(provider);
        await test.Ca.Users.CreateAsync(new NewUser("andi", "Andi Pratama", Role.Subscriber | Role.Auditor, Password, EmployeeNip: AndiNip), Principal.Console);

        // Nobody the provider names, no account, or nothing to match by: no session.
        Assert.Equal(SignInOutcome.NotLinked, await OutcomeAsync(test, Person("x-1", nip: "199912312020121001")));
        Assert.Equal(SignInOutcome.NotLinked, await OutcomeAsync(test, Person("x-2")));
        // An address the provider has not verified is not proof of being Andi.
        Assert.Equal(SignInOutcome.NotLinked, await OutcomeAsync(test, Person("x-3", email: AndiEmail, verified: false)));
        // NIP and e-mail naming two different people: not ours to pick one.
        Assert.Equal(SignInOutcome.NotLinked, await OutcomeAsync(test, Person("x-4", nip: AndiNip, email: SitiEmail)));

        // By verified e-mail, in whatever case the provider writes it: Andi's account, with Segel's roles.
        (SignInResult result, StartedSession? session) = await test.Ca.Sessions.StartAsync(Person("andi-at-idp", email: "ANDI@tanahbumbukab.go.id"), null, null);
        Assert.Equal(SignInOutcome.Success, result.Outcome);
        Assert.Equal("andi", result.Principal!.Name);
        Assert.Equal(Role.Subscriber | Role.Auditor, result.Principal.Roles);
        Principal? signedIn = await test.Ca.Sessions.AuthenticateAsync(session!.Token);
        Assert.Equal("andi", signedIn!.Name);

        // Linked now: the subject alone opens it, whatever the provider later says of NIP or e-mail...
        Assert.Equal(SignInOutcome.Success, await OutcomeAsync(test, Person("andi-at-idp")));
        // ...and another provider account claiming Andi's NIP is refused, and recorded.
        Assert.Equal(SignInOutcome.NotLinked, await OutcomeAsync(test, Person("impostor", nip: AndiNip)));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Equal($"{Issuer} andi-at-idp", await db.Users.Where(u => u.Username == "andi").Select(u => u.ProviderSubject).SingleAsync());
            string[] actions = await db.AuditRecords.Where(e => e.Subject == "andi").OrderBy(e => e.Id).Select(e => e.Action).ToArrayAsync();
            Assert.Equal(1, actions.Count(a => a == "user.provider-linked"));
            Assert.Contains("user.provider-sign-in-refused", actions);
        }
        // Password sign-in goes on as before.
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("andi", Password, null, null)).Outcome);

        // The provider gave Andi a new account: an administrator undoes the link (his sessions end), and the next sign-in links anew.
        Assert.True((await test.Ca.Users.GetAsync("andi", Principal.Console)).ProviderLinked);
        await test.Ca.Credentials.UnlinkProviderAsync("andi", Principal.Console, null);
        Assert.False((await test.Ca.Users.GetAsync("andi", Principal.Console)).ProviderLinked);
        Assert.Null(await test.Ca.Sessions.AuthenticateAsync(session.Token));
        Assert.Equal(SignInOutcome.NotLinked, await OutcomeAsync(test, Person("andi-at-idp")));
        Assert.Equal(SignInOutcome.Success, await OutcomeAsync(test, Person("andi-new-at-idp", nip: AndiNip)));
        await Assert.ThrowsAsync<Errors.SegelException>(() => test.Ca.Credentials.UnlinkProviderAsync("andi", new Principal("andi", Role.Subscriber), null));

        // A disabled account stays closed to the provider too.
        await test.Ca.Users.SetDisabledAsync("andi", true, Principal.Console);
        Assert.Equal(SignInOutcome.Disabled, await OutcomeAsync(test, Person("andi-new-at-idp")));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Officers_give_a_second_factor_the_providers_or_Segels(string provider)
    {
        using TestCa test = await RegencyAsync(provider);
        CreatedUser officer = await test.Ca.Users.CreateAsync(new NewUser("siti", "Siti Rahma", Role.RaOfficer, Password, EmployeeNip: SitiNip), Principal.Console);
        string secret = HttpUtility.ParseQueryString(new Uri(officer.TotpUri!).Query)["secret"]!;
        string Code() => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(test.Time.GetUtcNow().UtcDateTime);

        // A password at the provider is one factor: Segel asks for its own code, and links nothing until it is given.
        Assert.Equal(SignInOutcome.SecondFactorRequired, await OutcomeAsync(test, Person("siti-idp", nip: SitiNip, amr: "pwd")));
        Assert.Equal(SignInOutcome.SecondFactorRequired, await OutcomeAsync(test, Person("siti-idp", nip: SitiNip, amr: "pwd"), "000000"));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.Null(await db.Users.Where(u => u.Username == "siti").Select(u => u.ProviderSubject).SingleAsync());
        }
        Assert.Equal(SignInOutcome.Success, await OutcomeAsync(test, Person("siti-idp", nip: SitiNip, amr: "pwd"), Code()));
        // The same code twice is refused, as on the password path.
        Assert.Equal(SignInOutcome.SecondFactorRequired, await OutcomeAsync(test, Person("siti-idp", amr: "pwd"), Code()));

        // A provider that asserts a second factor the installation trusts is enough.
        Assert.Equal(SignInOutcome.Success, await OutcomeAsync(test, Person("siti-idp", amr: ["pwd", "otp"])));

        // Wrong codes through the provider count against the same lockout as wrong passwords.
        for (int i = 0; i < UserAccounts.MaxFailures - 2; i++)
        {
            Assert.Equal(SignInOutcome.SecondFactorRequired, await OutcomeAsync(test, Person("siti-idp", amr: "pwd"), "12345" + i));
        }
        Assert.Equal(SignInOutcome.Locked, await OutcomeAsync(test, Person("siti-idp", amr: "pwd"), "999999"));
        test.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(SignInOutcome.Locked, await OutcomeAsync(test, Person("siti-idp", amr: "pwd"), Code()));
        Assert.Equal(SignInOutcome.Locked, (await test.Ca.Users.SignInAsync("siti", Password, Code(), null)).Outcome);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_installation_that_does_not_trust_the_providers_factor_always_asks(string provider)
    {
        using TestCa test = await RegencyAsync(provider, o => o.SignOn.TrustSecondFactor = false);
        await test.Ca.Users.CreateAsync(new NewUser("siti", "Siti Rahma", Role.Admin, Password, EmployeeNip: SitiNip), Principal.Console);
        Assert.Equal(SignInOutcome.SecondFactorRequired, await OutcomeAsync(test, Person("siti-idp", nip: SitiNip, amr: ["pwd", "mfa", "otp"])));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_invited_holder_is_let_in_by_the_provider_and_the_link_is_spent(string provider)
    {
        using TestCa test = await RegencyAsync(provider);
        await test.Ca.Invitations.SendAsync(AndiNip, Principal.Console, null);
        Assert.True((await test.Ca.Users.GetAsync(AndiNip, Principal.Console)).Disabled);

        Assert.Equal(SignInOutcome.Success, await OutcomeAsync(test, Person("andi-idp", nip: AndiNip)));
        UserView opened = await test.Ca.Users.GetAsync(AndiNip, Principal.Console);
        Assert.False(opened.Disabled);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.True(await db.Invitations.AllAsync(i => i.UsedAt != null));

        // Closed by an administrator, the provider does not open it again.
        await test.Ca.Users.SetDisabledAsync(AndiNip, true, Principal.Console);
        Assert.Equal(SignInOutcome.Disabled, await OutcomeAsync(test, Person("andi-idp")));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Of_parallel_first_sign_ins_by_two_provider_accounts_one_is_linked(string provider)
    {
        using TestCa test = await RegencyAsync(provider);
        await test.Ca.Users.CreateAsync(new NewUser("andi", "Andi Pratama", Role.Subscriber, Password, EmployeeNip: AndiNip), Principal.Console);

        Task<SignInOutcome>[] attempts = [.. Enumerable.Range(0, 8).Select(i => Task.Run(() => OutcomeAsync(test, Person($"claimant-{i % 2}", nip: AndiNip))))];
        SignInOutcome[] outcomes = await Task.WhenAll(attempts);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        string link = (await db.Users.Where(u => u.Username == "andi").Select(u => u.ProviderSubject).SingleAsync())!;
        int winner = link.EndsWith("claimant-0", StringComparison.Ordinal) ? 0 : 1;
        // Every attempt of the other provider account is refused, whatever the interleaving.
        Assert.All(outcomes.Where((_, i) => i % 2 != winner), o => Assert.NotEqual(SignInOutcome.Success, o));
        Assert.Equal(SignInOutcome.Success, await OutcomeAsync(test, Person($"claimant-{winner}")));
        Assert.Equal(SignInOutcome.NotLinked, await OutcomeAsync(test, Person($"claimant-{1 - winner}", nip: AndiNip)));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }
}
