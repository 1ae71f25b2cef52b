using System.Web;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Accounts;

public sealed class AccountTests
{
    private const string Password = "kuda-laut-berlari-7";

    private static string CodeFor(TestCa test, string totpUri, int stepsAhead = 0)
    {
        string secret = HttpUtility.ParseQueryString(new Uri(totpUri).Query)["secret"]!;
        return new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(test.Time.GetUtcNow().UtcDateTime.AddSeconds(30 * stepsAhead));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Subscriber_signs_in_with_the_password_alone(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        CreatedUser created = await test.Ca.Users.CreateAsync(new NewUser("Budi.Santoso", "Budi Santoso", Role.Subscriber, Password), Principal.Console);
        Assert.Null(created.TotpUri);
        string stored;
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            stored = await db.Users.Where(u => u.Id == created.Id).Select(u => u.PasswordHash).SingleAsync();
        }
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", stored, StringComparison.Ordinal);

        SignInResult result = await test.Ca.Users.SignInAsync("budi.santoso", Password, null, "192.0.2.1");
        Assert.Equal(SignInOutcome.Success, result.Outcome);
        Assert.True(result.Principal!.Has(Role.Subscriber));
        Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync("budi.santoso", "salah-password-123", null, null)).Outcome);
        Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync("nobody", Password, null, null)).Outcome);
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Ra_officer_needs_a_totp_code_that_works_only_once()
    {
        using TestCa test = await TestCa.CreateAsync();
        CreatedUser officer = await test.Ca.Users.CreateAsync(new NewUser("petugas", "Petugas RA", Role.RaOfficer, Password), Principal.Console);
        Assert.StartsWith("otpauth://totp/", officer.TotpUri, StringComparison.Ordinal);

        Assert.Equal(SignInOutcome.SecondFactorRequired, (await test.Ca.Users.SignInAsync("petugas", Password, null, null)).Outcome);
        string code = CodeFor(test, officer.TotpUri!);
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("petugas", Password, code, null)).Outcome);
        Assert.Equal(SignInOutcome.SecondFactorRequired, (await test.Ca.Users.SignInAsync("petugas", Password, code, null)).Outcome); // replayed
        test.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("petugas", Password, CodeFor(test, officer.TotpUri!), null)).Outcome);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_fifteen_minutes_and_wrong_codes_count_too()
    {
        using TestCa test = await TestCa.CreateAsync();
        CreatedUser officer = await test.Ca.Users.CreateAsync(new NewUser("petugas", "Petugas RA", Role.RaOfficer, Password), Principal.Console);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync("petugas", "bukan-password-ini", null, null)).Outcome);
        }
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(SignInOutcome.SecondFactorRequired, (await test.Ca.Users.SignInAsync("petugas", Password, "000000", null)).Outcome);
        }
        SignInResult fifth = await test.Ca.Users.SignInAsync("petugas", "bukan-password-ini", null, null);
        Assert.Equal(SignInOutcome.Locked, fifth.Outcome);
        Assert.Equal(SignInOutcome.Locked, (await test.Ca.Users.SignInAsync("petugas", Password, CodeFor(test, officer.TotpUri!), null)).Outcome);

        test.Time.Advance(UserAccounts.LockoutDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("petugas", Password, CodeFor(test, officer.TotpUri!), null)).Outcome);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.True(await db.AuditRecords.AnyAsync(a => a.Action == "user.locked" && a.Subject == "petugas"));
    }

    [Fact]
    public async Task Only_admins_create_accounts_and_bad_requests_name_the_field()
    {
        using TestCa test = await TestCa.CreateAsync();
        var officer = new Principal("petugas", Role.RaOfficer);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Users.CreateAsync(new NewUser("x-user", "X", Role.Subscriber, Password), officer))).Kind);
        Assert.Equal("password", (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Users.CreateAsync(new NewUser("x-user", "X", Role.Subscriber, "pendek"), Principal.Console))).Field);
        Assert.Equal("password", (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Users.CreateAsync(new NewUser("x-user", "X", Role.Subscriber, "x-user-password-1"), Principal.Console))).Field);
        Assert.Equal("username", (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Users.CreateAsync(new NewUser("X User!", "X", Role.Subscriber, Password), Principal.Console))).Field);
        Assert.Equal("agency", (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Users.CreateAsync(new NewUser("kepala", "Kepala", Role.AgencyHead, Password), Principal.Console))).Field);
        await test.Ca.Users.CreateAsync(new NewUser("x-user", "X", Role.Subscriber, Password), Principal.Console);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Users.CreateAsync(new NewUser("X-USER", "X", Role.Subscriber, Password), Principal.Console))).Kind);
    }

    [Fact]
    public void Agency_heads_act_only_for_their_own_agency()
    {
        var head = new Principal("kepala", Role.AgencyHead, AgencyId: 7);
        head.RequireAgency(7, "apply");
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<SegelException>(() => head.RequireAgency(8, "apply")).Kind);
        new Principal("petugas", Role.RaOfficer).RequireAgency(8, "review");
        Assert.Throws<SegelException>(() => new Principal("auditor", Role.Auditor).RequireAgency(8, "apply"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Api_tokens_are_scoped_revocable_expiring_and_stored_only_as_a_hash(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        (_, string token) = await test.Ca.ApiTokens.IssueAsync("SRIKANDI", ["sign:pdf", "certificates:read"], TimeSpan.FromDays(30), Principal.Console);
        Principal? app = await test.Ca.ApiTokens.AuthenticateAsync(token);
        Assert.NotNull(app);
        Assert.Contains("sign:pdf", app.Scopes!);
        Assert.Equal(Role.None, app.Roles);
        Assert.Null(await test.Ca.ApiTokens.AuthenticateAsync(token + "x"));
        Assert.Null(await test.Ca.ApiTokens.AuthenticateAsync("Bearer whatever"));
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            Assert.False(await db.ApiTokens.AnyAsync(t => t.Name == token));
        }

        test.Time.Advance(TimeSpan.FromDays(31));
        Assert.Null(await test.Ca.ApiTokens.AuthenticateAsync(token));

        (ApiTokenView second, string other) = await test.Ca.ApiTokens.IssueAsync("SIMPEG", ["certificates:read"], null, Principal.Console);
        await test.Ca.ApiTokens.RevokeAsync(second.Id, Principal.Console);
        Assert.Null(await test.Ca.ApiTokens.AuthenticateAsync(other));
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.ApiTokens.RevokeAsync(second.Id, Principal.Console))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.ApiTokens.IssueAsync("x", ["sign:pdf"], null, new Principal("auditor", Role.Auditor)))).Kind);
        // A misspelt or invented scope is refused, naming the ones there are.
        SegelException unknown = await Assert.ThrowsAsync<SegelException>(() => test.Ca.ApiTokens.IssueAsync("x", ["sign:pdf", "certificates:*"], null, Principal.Console));
        Assert.Equal("scopes", unknown.Field);
        Assert.Contains("status:read", unknown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(" ", null)]
    [InlineData("30", 30)]
    [InlineData("3650", 3650)]
    public void A_token_lives_a_whole_number_of_days_or_for_ever(string? typed, int? days) =>
        Assert.Equal(days is int d ? TimeSpan.FromDays(d) : null, ApiTokens.LifetimeOf(typed));

    [Fact]
    public void Networks_bind_only_a_seal_token_and_are_refused_without_a_seal()
    {
        Assert.Null(SealBinding.From(null, null));
        Assert.Null(SealBinding.From(null, ["", " "]));
        Assert.Equal(new SealBinding(3, ["10.20.0.0/16"]).Networks, SealBinding.From(3, ["10.20.0.0/16"])!.Networks);
        SegelException refused = Assert.Throws<SegelException>(() => SealBinding.From(null, ["10.20.0.0/16"]));
        Assert.Equal((ErrorKind.Invalid, "networks"), (refused.Kind, refused.Field));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("3651")]
    [InlineData("1.5")]
    [InlineData("sebulan")]
    [InlineData("99999999999")]
    public void Other_lifetimes_are_refused_naming_the_field(string typed)
    {
        SegelException refused = Assert.Throws<SegelException>(() => ApiTokens.LifetimeOf(typed));
        Assert.Equal((ErrorKind.Invalid, "days"), (refused.Kind, refused.Field));
    }

    [Theory]
    [InlineData("ra-officer", Role.RaOfficer)]
    [InlineData("Admin,auditor", Role.Admin | Role.Auditor)]
    [InlineData("agency_head", Role.AgencyHead)]
    public void Role_names_parse(string text, Role expected)
    {
        Assert.True(Roles.TryParse(text, out Role role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("")]
    [InlineData("root")]
    [InlineData("none")]
    public void Unknown_role_names_do_not_parse(string text) => Assert.False(Roles.TryParse(text, out _));
}
