using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Core.Tests.Custody;

/// <summary>A holder's sealed key: a new passphrase re-seals it, a PKCS#12 export opens in openssl, both recorded.</summary>
public sealed class HolderKeyVaultTests
{
    [Fact]
    public async Task The_holder_changes_the_passphrase_and_exports_a_pkcs12_only_with_the_right_one()
    {
        using TestCa test = await TestCa.CreateAsync();
        LifecycleWorld world = await LifecycleWorld.CreateAsync(test.Ca);
        (HolderKeyRecord record, X509Certificate2 certificate) = await world.OfficerKeyAsync();
        const string newPassphrase = "kalimat sandi baru 2027";
        SegelException wrong = await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.HolderKeys.ChangePassphraseAsync(record, "bukan sandi yang benar", newPassphrase, Actor.System, []));
        Assert.Equal(ErrorKind.Invalid, wrong.Kind);
        SegelException weak = await Assert.ThrowsAsync<SegelException>(() =>
            test.Ca.HolderKeys.ChangePassphraseAsync(record, LifecycleWorld.OfficerPassphrase, "aaaaaaaaaaaa", Actor.System, []));
        Assert.Contains("too simple", weak.Message, StringComparison.Ordinal);

        await test.Ca.HolderKeys.ChangePassphraseAsync(record, LifecycleWorld.OfficerPassphrase, newPassphrase, Actor.System, [LifecycleWorld.OfficerNip]);
        await Assert.ThrowsAsync<SegelException>(() => test.Ca.HolderKeys.UnlockAsync(record, certificate, LifecycleWorld.OfficerPassphrase, Actor.System));
        using (X509Certificate2 opened = await test.Ca.HolderKeys.UnlockAsync(record, certificate, newPassphrase, Actor.System))
        {
            Assert.True(opened.HasPrivateKey);
        }

        byte[] pkcs12 = await test.Ca.HolderKeys.ExportPkcs12Async(record, certificate, [], newPassphrase, "sandi-ekspor-p12", Actor.System);
        string file = test.Directory.Write("holder.p12", pkcs12);
        string key = Tool.OpenSslOk("pkcs12", "-in", file, "-passin", "pass:sandi-ekspor-p12", "-nocerts", "-nodes");
        Assert.Contains("PRIVATE KEY", key, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SegelException>(() => test.Ca.HolderKeys.ExportPkcs12Async(record, certificate, [], "sandi yang salah sekali", "sandi-ekspor-p12", Actor.System));

        await using SegelDbContext check = test.Ca.Database.CreateContext();
        List<string> actions = await check.AuditRecords.Where(a => a.Subject == $"key:{record.Id}").Select(a => a.Action).ToListAsync();
        Assert.Contains("holder-key.passphrase-changed", actions);
        Assert.Contains("holder-key.exported", actions);
        Assert.Contains("holder-key.wrong-passphrase", actions);
        string stored = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(test.Directory.File("segel.db")));
        Assert.DoesNotContain(newPassphrase, stored, StringComparison.Ordinal);
    }
}
