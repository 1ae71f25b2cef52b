using Microsoft.Playwright;
using Segel.Core.Kernel;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// Key recovery in the portal (issue 23.5): Budi asks on /saya, Rahmat and Sari each open their share on /pemulihan-kunci,
/// Budi chooses a new passphrase and downloads his recovered encryption key as PKCS#12, which openssl reads. Every page is
/// checked for accessibility on the way.
/// </summary>
public sealed class PortalRecoveryTests
{
    private const string NewPassphrase = "frasa baru setelah lupa 77";

    [Fact]
    public async Task A_holder_asks_two_officers_approve_and_the_holder_sets_a_new_passphrase()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await server.Ca.KeyRecovery.SetUpAsync(["rahmat", "sari"], 2, Principal.Console);
        await world.BudiHoldsCertificateAsync();
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(A_holder_asks_two_officers_approve_and_the_holder_sets_a_new_passphrase));
        IPage page = browser.Page;

        // Budi sees his two certificates, the encryption one marked, and asks.
        await PortalFlowTests.SignInAsync(browser, "budi");
        await page.GotoAsync("/saya");
        Assert.Equal(1, await page.Locator("[data-encryption-certificate]").CountAsync());
        ILocator panel = page.Locator("[data-recovery]");
        Assert.Equal("none", await panel.GetAttributeAsync("data-recovery"));
        await page.GetByLabel("Alasan pemulihan").FillAsync("Lupa passphrase setelah cuti panjang");
        await browser.AccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Minta pemulihan" }).ClickAsync();
        Assert.Contains("Permintaan pemulihan dikirim", await page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", await panel.GetAttributeAsync("data-recovery"));
        await PortalFlowTests.SignOutAsync(page);

        // Rahmat, then Sari, open their shares with their own passphrases.
        foreach ((string officer, string totp) in new[] { ("rahmat", world.OfficerTotpUri!), ("sari", world.SecondOfficerTotpUri!) })
        {
            await PortalFlowTests.SignInAsync(browser, officer, server.NextTotp(totp));
            await page.GetByRole(AriaRole.Link, new() { Name = "Pemulihan kunci" }).First.ClickAsync();
            ILocator request = page.Locator("[data-recovery-request]");
            Assert.Equal("pending", await request.GetAttributeAsync("data-state"));
            Assert.Contains("Lupa passphrase setelah cuti panjang", await request.InnerTextAsync(), StringComparison.Ordinal);
            await request.GetByLabel("Passphrase Anda").FillAsync(HttpWorld.OfficerPassphrase);
            await browser.AccessibleAsync();
            await request.GetByRole(AriaRole.Button, new() { Name = "Setujui dan buka bagian saya" }).ClickAsync();
            Assert.Contains("Bagian Anda dibuka", await page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
            await browser.ShotAsync($"recovery-approved-by-{officer}");
            await PortalFlowTests.SignOutAsync(page);
        }

        // Budi chooses a new passphrase, then downloads the recovered encryption key with it.
        await PortalFlowTests.SignInAsync(browser, "budi");
        await page.GotoAsync("/saya");
        Assert.Equal("approved", await panel.GetAttributeAsync("data-recovery"));
        await panel.GetByLabel("Passphrase baru", new() { Exact = true }).FillAsync(NewPassphrase);
        await panel.GetByLabel("Ulangi passphrase baru").FillAsync(NewPassphrase);
        await browser.AccessibleAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Pulihkan kunci" }).ClickAsync();
        Assert.Contains("dipulihkan di bawah passphrase baru", await page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
        ILocator export = page.Locator("section[aria-labelledby=p12-title]");
        await export.GetByLabel("Kunci enkripsi").CheckAsync();
        await export.GetByLabel("Passphrase Anda").FillAsync(NewPassphrase);
        await export.GetByLabel("Kata sandi berkas PKCS#12").FillAsync("ekspor-rahasia");
        IDownload download = await page.RunAndWaitForDownloadAsync(() => export.GetByRole(AriaRole.Button, new() { Name = "Unduh" }).ClickAsync());
        string p12 = server.Directory.File("budi-enkripsi.p12");
        await download.SaveAsAsync(p12);
        string text = Tool.Run("openssl", "pkcs12", "-in", p12, "-passin", "pass:ekspor-rahasia", "-nodes").Check().Stdout;
        Assert.Contains("PRIVATE KEY", text, StringComparison.Ordinal);
        string certificate = server.Directory.Write("budi-enkripsi.pem", text);
        Assert.Contains("Key Agreement", Tool.OpenSslOk("x509", "-in", certificate, "-noout", "-text"), StringComparison.Ordinal);
    }
}
