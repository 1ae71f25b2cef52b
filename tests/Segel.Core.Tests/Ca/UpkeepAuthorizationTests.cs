using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// The CA's own upkeep — renewing the OCSP responder, signing audit checkpoints, catching up after a restore — is
/// reachable from any adapter now that it is a registered service, so it checks its caller like every other
/// operation: administrators only (the console and the server's jobs act as administrators).
/// </summary>
public sealed class UpkeepAuthorizationTests
{
    private static readonly Principal Auditor = new("inspektorat", Role.Auditor);
    private static readonly Principal Officer = new("rahmat", Role.RaOfficer);

    [Fact]
    public async Task Only_administrators_run_the_CA_s_upkeep_and_a_refusal_changes_nothing()
    {
        using TestCa test = await TestCa.CreateAsync();
        foreach (Principal who in new[] { Auditor, Officer })
        {
            await Refused(() => test.Ca.ResponderRenewal.RenewDueAsync(who));
            await Refused(() => test.Ca.AuditCheckpoints.CreateAsync(who));
            await Refused(() => test.Ca.Restoration.MarkRestoredAsync(test.Time.GetUtcNow(), who));
            await Refused(() => test.Ca.Restoration.ApplyCrlAsync([0x30, 0x00], who));
            await Refused(() => test.Ca.Restoration.CompleteAsync(acceptUnknown: true, who));
        }
        Assert.Null(await test.Ca.Restoration.PendingAsync());
        Assert.NotNull(await test.Ca.AuditCheckpoints.CreateAsync(Principal.System));
        Assert.Equal(0, await test.Ca.ResponderRenewal.RenewDueAsync(Principal.Console));
    }

    private static async Task Refused(Func<Task> action) =>
        Assert.Equal(ErrorKind.Forbidden, (await Assert.ThrowsAsync<SegelException>(action)).Kind);
}
