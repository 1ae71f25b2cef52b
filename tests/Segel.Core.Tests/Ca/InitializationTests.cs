using Microsoft.EntityFrameworkCore;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.Core.Tests.Ca;

public sealed class InitializationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Init_creates_root_issuing_ocsp_and_tsa_with_first_crls(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        IReadOnlyList<LoadedAuthority> all = await test.Ca.Ring.GetAllAsync();
        Assert.Equal([AuthorityRole.RootCa, AuthorityRole.IssuingCa, AuthorityRole.OcspResponder, AuthorityRole.TimeStamping], all.Select(a => a.Record.Role));
        foreach (LoadedAuthority issuer in await test.Ca.Ring.GetIssuersAsync())
        {
            Assert.Equal(1, (await test.Ca.Crls.GetLatestAsync(issuer.Id))!.Number);
        }
        string chain = test.Directory.Write("chain.pem", await IssuanceTests.ChainPemAsync(test));
        foreach (LoadedAuthority service in all.Where(a => a.Record.Role is AuthorityRole.OcspResponder or AuthorityRole.TimeStamping))
        {
            string pem = test.Directory.Write(service.Slug + ".pem", service.Certificate.ExportCertificatePem());
            Assert.Contains(": OK", Tool.OpenSslOk("verify", "-CAfile", chain, pem), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Second_init_is_refused_and_changes_nothing(string provider)
    {
        using TestCa test = await TestCa.CreateAsync(provider);
        var e = await Assert.ThrowsAsync<SegelException>(() => test.Ca.Initializer.InitializeAsync(Actor.System));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        Assert.Equal(4, await db.Authorities.CountAsync());
    }

    [Fact]
    public async Task Ca_keys_are_sealed_in_the_database()
    {
        using TestCa test = await TestCa.CreateAsync(configure: o => o.Ca.IssuingAlgorithm = "rsa2048");
        await using SegelDbContext db = test.Ca.Database.CreateContext();
        foreach (AuthorityRecord record in await db.Authorities.ToListAsync())
        {
            Assert.StartsWith("soft:", record.KeyUri, StringComparison.Ordinal);
            Assert.NotNull(record.SealedKey);
        }
        // The issuing CA's PKCS#8 private key must not be anywhere in the SQLite file.
        LoadedAuthority issuing = await test.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        byte[] file = await File.ReadAllBytesAsync(test.Directory.File("segel.db"));
        byte[] rsaPkcs8Prefix = [0x02, 0x01, 0x00, 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
        Assert.Equal(-1, file.AsSpan().IndexOf(rsaPkcs8Prefix));
        Assert.NotNull(issuing.Key);
    }

    [Fact]
    public async Task Wrong_master_key_fails_clearly_when_the_keys_are_opened()
    {
        using TestCa test = await TestCa.CreateAsync();
        MasterKey wrong = MasterKey.Generate();
        using var other = new SegelCa(test.Options, test.Directory.Path, new SoftwareKeyStore(wrong), SegelSecrets.FromMasterKey(wrong), test.Time);
        var e = await Assert.ThrowsAsync<KeyStoreException>(() => other.Ring.GetAllAsync());
        Assert.Contains("master key", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ca:IssuingAlgorithm")]
    [InlineData("PublicBaseUrl")]
    [InlineData("Ca:PolicyOid")]
    [InlineData("Ca:CrlRefreshHours")]
    public void Bad_configuration_fails_at_start_naming_the_setting(string field)
    {
        var options = new SegelOptions();
        switch (field)
        {
            case "Ca:IssuingAlgorithm": options.Ca.IssuingAlgorithm = "dsa1024"; break;
            case "PublicBaseUrl": options.PublicBaseUrl = "segel.example"; break;
            case "Ca:PolicyOid": options.Ca.PolicyOid = "not.an.oid"; break;
            case "Ca:CrlRefreshHours": options.Ca.CrlRefreshHours = 500; break;
        }
        var e = Assert.Throws<SegelException>(() => new CaSettings(options));
        Assert.Equal(field, e.Field);
    }
}
