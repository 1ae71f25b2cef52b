using System.Web;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Accounts;

public sealed class CredentialTests
{
    private const string Password = "kuda-laut-berlari-7";
    private const string NewPassword = "burung-enggang-terbang-9";

    private static string CodeFor(TestCa test, string totpUri)
    {
        string secret = HttpUtility.ParseQueryString(new Uri(totpUri).Query)["secret"]!;
        return new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(test.Time.GetUtcNow().UtcDateTime);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_person_changes_their_password_and_every_session_ends(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await test.Ca.Users.CreateAsync(new NewUser("budi", "Budi Santoso", Role.Subscriber, Password), Principal.Console);
        StartedSession first = (await test.Ca.Sessions.StartAsync("budi", Password, null, null)).Session!;
        StartedSession second = (await test.Ca.Sessions.StartAsync("budi", Password, null, null)).Session!;

        SegelException same = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Credentials.ChangeOwnPasswordAsync(Password, Password, first.Principal, null));
        Assert.Equal("newPassword", same.Field);
        SegelException containsName = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Credentials.ChangeOwnPasswordAsync(Password, "budi-budi-budi-budi", first.Principal, null));
        Assert.Equal("newPassword", containsName.Field);
        SegelException wrong = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Credentials.ChangeOwnPasswordAsync("bukan-ini-sandinya", NewPassword, first.Principal, null));
        Assert.Equal("currentPassword", wrong.Field);

        await test.Ca.Credentials.ChangeOwnPasswordAsync(Password, NewPassword, first.Principal, "192.0.2.8");
        Assert.Null(await test.Ca.Sessions.AuthenticateAsync(first.Token));
        Assert.Null(await test.Ca.Sessions.AuthenticateAsync(second.Token));
        Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync("budi", Password, null, null)).Outcome);
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("budi", NewPassword, null, null)).Outcome);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Action == "user.password-changed" && a.Origin == "192.0.2.8"));
        Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Action == "user.password-change-failed"));
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Guessing_the_current_password_from_an_open_session_locks_the_account()
    {
        using TestCa test = await TestCa.CreateAsync();
        await test.Ca.Users.CreateAsync(new NewUser("budi", "Budi Santoso", Role.Subscriber, Password), Principal.Console);
        StartedSession session = (await test.Ca.Sessions.StartAsync("budi", Password, null, null)).Session!;
        for (int i = 1; i < UserAccounts.MaxFailures; i++)
        {
            Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<SegelException>(() =>
                test.Ca.Credentials.ChangeOwnPasswordAsync("tebakan-ke-" + i, NewPassword, session.Principal, null))).Kind);
        }
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Credentials.ChangeOwnPasswordAsync("tebakan-terakhir", NewPassword, session.Principal, null))).Kind);
        Assert.Null(await test.Ca.Sessions.AuthenticateAsync(session.Token));
        Assert.Equal(SignInOutcome.Locked, (await test.Ca.Users.SignInAsync("budi", Password, null, null)).Outcome);
    }

    [Fact]
    public async Task An_administrator_resets_a_forgotten_password_and_renews_a_lost_authenticator()
    {
        using TestCa test = await TestCa.CreateAsync();
        string oldUri = (await test.Ca.Users.CreateAsync(new NewUser("petugas", "Petugas RA", Role.RaOfficer, Password), Principal.Console)).TotpUri!;
        await test.Ca.Users.CreateAsync(new NewUser("budi", "Budi Santoso", Role.Subscriber, Password), Principal.Console);
        var admin = new Principal("admin", Role.Admin, UserId: 999);
        StartedSession officer = (await test.Ca.Sessions.StartAsync("petugas", Password, CodeFor(test, oldUri), null)).Session!;

        string newUri = await test.Ca.Credentials.RenewSecondFactorAsync("Petugas", admin, null);
        Assert.NotEqual(oldUri, newUri);
        Assert.Null(await test.Ca.Sessions.AuthenticateAsync(officer.Token));
        test.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(SignInOutcome.SecondFactorRequired, (await test.Ca.Users.SignInAsync("petugas", Password, CodeFor(test, oldUri), null)).Outcome);
        test.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("petugas", Password, CodeFor(test, newUri), null)).Outcome);

        await test.Ca.Credentials.ResetPasswordAsync("budi", NewPassword, admin, null);
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("budi", NewPassword, null, null)).Outcome);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Credentials.RenewSecondFactorAsync("budi", admin, null))).Kind);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Credentials.ResetPasswordAsync("admin", NewPassword, admin, null))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Credentials.ResetPasswordAsync("budi", NewPassword, new Principal("auditor", Role.Auditor), null))).Kind);
        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Credentials.ChangeOwnPasswordAsync(Password, NewPassword, Principal.Console, null))).Kind);
    }

    [Fact]
    public async Task An_administrator_changes_roles_which_apply_at_the_next_request()
    {
        using TestCa test = await TestCa.CreateAsync();
        await test.Ca.Users.CreateAsync(new NewUser("budi", "Budi Santoso", Role.Subscriber, Password), Principal.Console);
        var admin = new Principal("admin", Role.Admin, UserId: 999);
        StartedSession session = (await test.Ca.Sessions.StartAsync("budi", Password, null, null)).Session!;

        SegelException noAgency = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Users.ChangeRolesAsync("budi", Role.AgencyHead, null, admin, null));
        Assert.Equal("agency", noAgency.Field);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Users.ChangeRolesAsync("budi", Role.AgencyHead, "BPBD", admin, null))).Kind);
        await test.Ca.Agencies.CreateAsync("BPBD", "Badan Penanggulangan Bencana Daerah", admin, null);
        Assert.Null(await test.Ca.Users.ChangeRolesAsync("budi", Role.AgencyHead | Role.Subscriber, "bpbd", admin, null));
        Principal now = (await test.Ca.Sessions.AuthenticateAsync(session.Token))!;
        Assert.True(now.Has(Role.AgencyHead));
        Assert.NotNull(now.AgencyId);

        // An RA officer signs in with an authenticator: one is made, and the password alone no longer suffices.
        string? uri = await test.Ca.Users.ChangeRolesAsync("budi", Role.RaOfficer | Role.Subscriber, null, admin, null);
        Assert.StartsWith("otpauth://totp/", uri, StringComparison.Ordinal);
        Assert.Null((await test.Ca.Sessions.AuthenticateAsync(session.Token))!.AgencyId);
        Assert.Equal(SignInOutcome.SecondFactorRequired, (await test.Ca.Users.SignInAsync("budi", Password, null, null)).Outcome);
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("budi", Password, CodeFor(test, uri!), null)).Outcome);

        Assert.Equal(ErrorKind.Refused, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Users.ChangeRolesAsync("admin", Role.Auditor, null, admin, null))).Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Users.ChangeRolesAsync("budi", Role.Auditor, null, new Principal("auditor", Role.Auditor), null))).Kind);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(2, await db.AuditRecords.CountAsync(a => a.Action == "user.roles-changed"));
    }
}
