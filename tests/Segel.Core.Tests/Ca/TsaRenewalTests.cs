using System.Globalization;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

/// <summary>
/// The time-stamping authority's certificate renews itself (issue 21.5): with a fake clock, a quarter before its six years
/// end a new key and certificate take over, tokens from before and after both pass <c>openssl ts -verify</c> at their
/// times, and no renewal happens once the issuing CA's end caps what a new certificate could add.
/// </summary>
public sealed class TsaRenewalTests
{
    private static async Task<string> StampAsync(TestCa test, string name)
    {
        string data = test.Directory.Write(name + ".txt", $"Surat dinas {name}");
        string query = test.Directory.File(name + ".tsq");
        Tool.OpenSslOk("ts", "-query", "-data", data, "-sha256", "-cert", "-out", query);
        return test.Directory.Write(name + ".tsr", await test.Ca.TimeStamps.RespondAsync(File.ReadAllBytes(query)));
    }

    private static string Verify(TestCa test, string name, string chain, DateTimeOffset at) =>
        Tool.OpenSslOk("ts", "-verify", "-in", test.Directory.File(name + ".tsr"), "-data", test.Directory.File(name + ".txt"), "-CAfile", chain,
            "-attime", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_tsa_certificate_renews_itself_a_quarter_before_its_end_and_old_tokens_still_verify(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        string chain = test.Directory.Write("chain.pem", await IssuanceTests.ChainPemAsync(test));
        LoadedAuthority first = await test.Ca.Ring.GetActiveAsync(AuthorityRole.TimeStamping);
        DateTimeOffset before = test.Time.GetUtcNow();
        await StampAsync(test, "before");

        // Four and a half years on (of six): due. The OCSP responder, a year long, is renewed in the same round.
        test.Time.Advance(TimeSpan.FromDays(365.25 * 4.5 + 1));
        Assert.Equal(2, await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System));
        LoadedAuthority second = await test.Ca.Ring.GetActiveAsync(AuthorityRole.TimeStamping);
        Assert.NotEqual(first.Slug, second.Slug);
        Assert.NotEqual(first.Certificate.PublicKey.EncodedKeyValue.RawData, second.Certificate.PublicKey.EncodedKeyValue.RawData);
        Assert.False((await test.Ca.Ring.FindBySlugAsync(first.Slug))!.Record.Active);
        chain = test.Directory.Write("chain.pem", await IssuanceTests.ChainPemAsync(test));
        DateTimeOffset after = test.Time.GetUtcNow();
        await StampAsync(test, "after");

        Assert.Contains("Verification: OK", Verify(test, "before", chain, before), StringComparison.Ordinal);
        Assert.Contains("Verification: OK", Verify(test, "after", chain, after), StringComparison.Ordinal);
        Assert.Equal(0, await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System));

        // Four and a half years later the issuing CA has rolled over (less than two and a half of its ten years were left),
        // and the TSA, due again, is renewed under the new one: no longer capped by the old CA's end.
        test.Time.Advance(TimeSpan.FromDays(365.25 * 4.5));
        Assert.True(await test.Ca.ResponderRenewal.RenewDueAsync(Principal.System) >= 3);
        LoadedAuthority third = await test.Ca.Ring.GetActiveAsync(AuthorityRole.TimeStamping);
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        Assert.NotEqual(second.Slug, third.Slug);
        Assert.Equal(issuing.Id, third.Record.ParentId);
        Assert.True(third.NotAfter > second.NotAfter);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(2, db.AuditRecords.Count(a => a.Action == "tsa.renewed"));
        Assert.Equal(1, db.AuditRecords.Count(a => a.Action == "issuing-ca.renewed"));
    }
}
