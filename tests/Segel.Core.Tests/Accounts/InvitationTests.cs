using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Accounts;

/// <summary>
/// A holder's account made for them opens by a single-use link (issue 19.8): no password exists or is mailed before it,
/// only the link's hash is kept, of parallel uses one wins, and a newer link replaces an older one — on both databases.
/// </summary>
public sealed class InvitationTests
{
    private const string Nip = "199001012015011001";
    private const string Email = "andi@tanahbumbukab.go.id";
    private const string Password = "perahu-layar-di-teluk-9";
    private static readonly Principal Officer = new("rahmat", Role.RaOfficer);

    private const string Csv = "nip,nik,name,position,agency_code,agency_name,work_unit,email\n" +
        $"{Nip},6310010101900001,Andi Pratama,Pengelola Data,DISKOMINFO,Dinas Komunikasi dan Informatika,,{Email}\n";

    private static async Task<string> LinkAsync(TestCa test) =>
        Regex.Match((await test.Ca.Outbox.PendingForAsync(Email, Principal.Console))!.Body, @"/undangan/([A-Za-z0-9_-]+)").Groups[1].Value;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_link_opens_the_account_once_and_parallel_uses_win_once(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), Actor.System);

        PortalAccess access = await test.Ca.Invitations.SendAsync(Nip, Officer, "192.0.2.1");
        Assert.Equal(Nip, access.Username);
        Assert.Null(access.InvitationLink); // the link goes to the mailbox, never back to the caller
        string token = await LinkAsync(test);
        Assert.Equal(43, token.Length);
        UserView made = await test.Ca.Users.GetAsync(Nip, Principal.Console);
        Assert.True(made.Invited);
        Assert.True(made.Disabled);
        Assert.Equal(Role.Subscriber, made.Roles);
        Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync(Nip, Password, null, null)).Outcome);
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            byte[] stored = await db.Invitations.Select(i => i.TokenHash).SingleAsync();
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token)), stored);
        }

        // A password the rules refuse leaves the link usable.
        SegelException weak = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Invitations.AcceptAsync(token, "pendek", null));
        Assert.Equal("password", weak.Field);
        Assert.Equal("Andi Pratama", (await test.Ca.Invitations.OpenAsync(token)).DisplayName);

        // Eight requests with the same link: one sets the password, the others are refused.
        Task<string>[] attempts = [.. Enumerable.Range(0, 8).Select(i => Task.Run(() => test.Ca.Invitations.AcceptAsync(token, Password + i, null)))];
        int opened = 0;
        string? winner = null;
        for (int i = 0; i < attempts.Length; i++)
        {
            try
            {
                await attempts[i];
                opened++;
                winner = Password + i;
            }
            catch (SegelException e)
            {
                Assert.Equal(ErrorKind.NotFound, e.Kind);
            }
        }
        Assert.Equal(1, opened);
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync(Nip, winner!, null, null)).Outcome);
        Assert.False((await test.Ca.Users.GetAsync(Nip, Principal.Console)).Invited);
        await Assert.ThrowsAsync<SegelException>(() => test.Ca.Invitations.OpenAsync(token));
        // Once the password is chosen there is nothing to invite to.
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Invitations.SendAsync(Nip, Officer, null))).Kind);
        Assert.True((await test.Ca.AuditVerifier.VerifyAsync()).Intact);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_newer_link_replaces_the_older_and_links_expire(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), Actor.System);
        await test.Ca.Invitations.SendAsync(Nip, Principal.Console, null);
        string first = await LinkAsync(test);
        await test.Ca.Invitations.SendAsync(Nip, Principal.Console, null);
        string second = await LinkAsync(test);
        Assert.NotEqual(first, second);
        await Assert.ThrowsAsync<SegelException>(() => test.Ca.Invitations.OpenAsync(first));
        Assert.Equal(Nip, (await test.Ca.Invitations.OpenAsync(second)).Username);

        test.Time.Advance(Invitations.Lifetime + TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<SegelException>(() => test.Ca.Invitations.AcceptAsync(second, Password, null));
        Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync(Nip, Password, null, null)).Outcome);

        // Holders, agency heads and auditors cannot send links; an unknown NIP is named.
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.Invitations.SendAsync(Nip, new Principal("kepala", Role.AgencyHead, AgencyId: 1), null))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<SegelException>(() => test.Ca.Invitations.SendAsync("199999999999999999", Principal.Console, null))).Kind);
    }

    [Fact]
    public async Task An_invitation_inserted_behind_segels_back_opens_nothing()
    {
        using TestCa test = await TestCa.CreateAsync();
        await test.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), Actor.System);
        await test.Ca.Invitations.SendAsync(Nip, Principal.Console, null);
        const string forged = "forged-token-forged-token-forged-token-abcd";
        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            // A copy of the real row under a token the intruder knows: the seal (over the token's hash) no longer fits.
            byte[] hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(forged));
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO invitations (\"UserId\", \"TokenHash\", \"CreatedAt\", \"ExpiresAt\", \"Seal\") SELECT \"UserId\", {hash}, \"CreatedAt\", \"ExpiresAt\", \"Seal\" FROM invitations");
        }
        await Assert.ThrowsAsync<SegelException>(() => test.Ca.Invitations.AcceptAsync(forged, Password, null));
        Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync(Nip, Password, null, null)).Outcome);
        Assert.Contains((await test.Ca.AuditVerifier.VerifyAsync()).Differences, d => d.StartsWith("invitation ", StringComparison.Ordinal));
    }
}
