using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

public sealed class ResponderRenewalTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Responder_is_renewed_with_a_new_key_when_a_quarter_of_its_life_is_left(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        Assert.Equal(0, await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System));
        LoadedAuthority before = await test.Ca.Ring.GetActiveAsync(AuthorityRole.OcspResponder);

        test.Time.Advance(TimeSpan.FromDays(280)); // of 365
        Assert.Equal(1, await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System));

        LoadedAuthority after = await test.Ca.Ring.GetActiveAsync(AuthorityRole.OcspResponder);
        Assert.NotEqual(before.Slug, after.Slug);
        Assert.NotEqual(before.Certificate.PublicKey.EncodedKeyValue.RawData, after.Certificate.PublicKey.EncodedKeyValue.RawData);
        Assert.Equal(test.Time.GetUtcNow().AddDays(365).ToUnixTimeSeconds(), new DateTimeOffset(after.Certificate.NotAfter).ToUnixTimeSeconds());
        Assert.False((await test.Ca.Ring.FindBySlugAsync(before.Slug))!.Record.Active);
        string chain = test.Directory.Write("chain.pem", await IssuanceTests.ChainPemAsync(test));
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-attime", test.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-purpose", "ocsphelper", "-CAfile", chain, test.Directory.Write("new.pem", after.Certificate.ExportCertificatePem())), StringComparison.Ordinal);

        Assert.Equal(0, await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System));
    }

    [Fact]
    public async Task Two_nodes_renewing_at_once_leave_one_active_responder()
    {
        using TestCa test = await TestCa.CreateAsync();
        using SegelCa second = test.OpenSecondNode();
        test.Time.Advance(TimeSpan.FromDays(300));
        int[] renewed = await Task.WhenAll(
            Task.Run(() => test.Ca.ResponderRenewal.RenewDueAsync(Principal.System)),
            Task.Run(() => second.ResponderRenewal.RenewDueAsync(Principal.System)));
        Assert.Equal(1, renewed.Sum());
        test.Ca.Ring.Reset();
        Assert.Single(await test.Ca.Ring.GetAllAsync(), a => a.Record.Role == AuthorityRole.OcspResponder && a.Record.Active);
    }

    [Fact]
    public async Task A_node_that_has_not_seen_another_nodes_renewal_does_not_renew_again()
    {
        using TestCa test = await TestCa.CreateAsync();
        using SegelCa second = test.OpenSecondNode();
        Assert.Equal(0, await second.ResponderRenewal.RenewDueAsync(Principal.System)); // its authorities are read now
        test.Time.Advance(TimeSpan.FromDays(300));
        Assert.Equal(1, await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System));
        test.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await second.ResponderRenewal.RenewDueAsync(Principal.System));
        test.Ca.Ring.Reset();
        Assert.Single(await test.Ca.Ring.GetAllAsync(), a => a.Record.Role == AuthorityRole.OcspResponder && a.Record.Active);
    }
}
