using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Ca;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Operations;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Testing;

namespace Segel.Core.Tests.Supervision;

/// <summary>
/// Issue 17, the rows no certificate chain covers: employees, accounts and settings carry seals. An UPDATE, an
/// INSERT and a DELETE made behind Segel's back are named by <c>audit verify</c>, and at run time the row is not
/// acted on — no certificate for an employee whose name was changed, no sign-in or session for an account whose
/// role was raised — while <c>/health</c> raises the alarm. On both databases.
/// </summary>
public sealed class RowSealTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rows_changed_behind_segels_back_are_named_and_never_acted_on(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        await test.Ca.RegencySettings.UpdateAsync(["tanahbumbukab.go.id", "pemkab.example.id"], ["30", "7"], Principal.Console, "cli");
        (SignInResult _, StartedSession? session) = await test.Ca.Sessions.StartAsync("kepala.kominfo", "sandi-yang-panjang-1", null, "10.0.0.1");
        Assert.NotNull(await test.Ca.Sessions.AuthenticateAsync(session!.Token));
        Assert.True((await test.Ca.Audit.VerifyAsync(Principal.Console)).Intact);

        await using (SegelDbContext db = test.Ca.Database.CreateContext())
        {
            await db.Employees.Where(e => e.Nip == LifecycleWorld.BudiNip).ExecuteUpdateAsync(s => s.SetProperty(e => e.Name, "Orang Lain"));
            await db.Employees.Where(e => e.Nip == LifecycleWorld.DewiNip).ExecuteDeleteAsync();
            // An INSERT behind Segel's back: a row as Segel would write it, but without a seal (EF writes the
            // provider's column types; the seal is then cleared in SQL, as an insider's INSERT would leave it).
            EmployeeRecord copy = await db.Employees.AsNoTracking().SingleAsync(e => e.Nip == LifecycleWorld.SitiNip);
            copy.Id = 0;
            copy.Nip = "199901012020011001";
            copy.NikLookup = [1, 2, 3];
            copy.Name = "Pegawai Siluman";
            copy.Email = "siluman@tanahbumbukab.go.id";
            db.Employees.Add(copy);
            await db.SaveChangesAsync();
            await db.Employees.Where(e => e.Nip == copy.Nip).ExecuteUpdateAsync(s => s.SetProperty(e => e.Seal, (byte[]?)null));
            await db.Users.Where(u => u.Username == "kepala.kominfo").ExecuteUpdateAsync(s => s.SetProperty(u => u.Roles, (int)(Role.AgencyHead | Role.Admin)));
            await db.Settings.Where(s => s.Key == "email-domains").ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, "[\"gmail.com\"]"));
        }

        AuditVerification result = await test.Ca.Audit.VerifyAsync(Principal.Console);
        Assert.Null(result.BrokenAt);
        Assert.Contains(result.Differences, d => d.StartsWith($"employee {LifecycleWorld.BudiNip}: the row no longer matches its seal", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.StartsWith($"employee {LifecycleWorld.DewiNip}: the record shows it created, but the row is gone", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.StartsWith("employee 199901012020011001: a row without a seal", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.StartsWith("user kepala.kominfo: the row no longer matches its seal", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.StartsWith("setting email-domains: the row no longer matches its seal", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Differences, d => d.Contains(LifecycleWorld.SitiNip, StringComparison.Ordinal) || d.Contains("kepala.dinkes", StringComparison.Ordinal));

        // At run time: no certificate for the renamed employee, no session or sign-in with the raised role.
        SegelException refused = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Certificates.IssueFromCsrAsync(Principal.Console,
            System.Text.Encoding.ASCII.GetString(Csr.Create()), null, new HolderDetails(Nip: LifecycleWorld.BudiNip), "Uji penerbitan setelah diubah", "cli"));
        Assert.Equal(ErrorKind.Refused, refused.Kind);
        Assert.Contains("integrity check", refused.Message, StringComparison.Ordinal);
        Assert.Null(await test.Ca.Sessions.AuthenticateAsync(session.Token));
        Assert.Equal(SignInOutcome.Invalid, (await test.Ca.Users.SignInAsync("kepala.kominfo", "sandi-yang-panjang-1", null, "10.0.0.1")).Outcome);
        Assert.Equal(SignInOutcome.Success, (await test.Ca.Users.SignInAsync("kepala.dinkes", "sandi-yang-panjang-2", null, "10.0.0.1")).Outcome);
        // Nor does a later change through Segel seal the tampered row again: that would launder it.
        SegelException laundering = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Users.SetDisabledAsync("kepala.kominfo", true, Principal.Console));
        Assert.Equal(ErrorKind.Refused, laundering.Kind);
        Assert.Contains((await test.Ca.Audit.VerifyAsync(Principal.Console)).Differences, d => d.StartsWith("user kepala.kominfo: the row no longer matches its seal", StringComparison.Ordinal));
        Assert.Contains("pegawai " + LifecycleWorld.BudiNip, refused.MessageIn(System.Globalization.CultureInfo.GetCultureInfo("id")), StringComparison.Ordinal);
        CaHealthReport health = await test.Ca.Health.CheckAsync();
        Assert.Equal("degraded", health.Status);
        Assert.Contains(health.Warnings, w => w.Code == "integrity-alarm" && w.Subject == "user kepala.kominfo");
    }
}
