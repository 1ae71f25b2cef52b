using Microsoft.Playwright;
using Segel.Core.Accounts;
using Segel.Core.Kernel;

namespace Segel.Server.Tests.Portal;

/// <summary>A person changes their own password; an administrator resets a forgotten one and gives an officer a new authenticator.</summary>
public sealed class PortalAccountsTests
{
    private const string NewPassword = "pelabuhan-batulicin-di-pagi-hari";

    [Fact]
    public async Task People_change_their_password_and_the_administrator_resets_passwords_and_authenticators()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string adminTotp = await PortalRolesTests.CreateAdminAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(People_change_their_password_and_the_administrator_resets_passwords_and_authenticators));
        IPage page = browser.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        // The holder opens their account from their name in the header; the meter reacts as they type.
        await PortalFlowTests.SignInAsync(browser, "budi");
        await page.Locator("header a.who").ClickAsync();
        Assert.EndsWith("/akun", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Kata sandi baru", new() { Exact = true }).PressSequentiallyAsync("pendek");
        Assert.Equal("Terlalu pendek", await page.Locator("#new-strength [data-strength-text]").InnerTextAsync());
        await page.GetByLabel("Kata sandi baru", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Kata sandi baru", new() { Exact = true }).PressSequentiallyAsync(NewPassword);
        Assert.Equal("Kuat", await page.Locator("#new-strength [data-strength-text]").InnerTextAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-account-strength");

        // Two different new passwords, then a wrong current one: each refused beside its field, nothing changed.
        await page.GetByLabel("Kata sandi saat ini").FillAsync(HttpWorld.Password);
        await page.GetByLabel("Ulangi kata sandi baru").FillAsync(NewPassword + "x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ubah kata sandi" }).ClickAsync();
        Assert.Contains("Kedua kata sandi baru tidak sama.", await page.Locator("#NewPasswordAgain ~ .error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("", await page.GetByLabel("Kata sandi saat ini").InputValueAsync());
        await page.GetByLabel("Kata sandi saat ini").FillAsync("bukan-sandi-budi-sama-sekali");
        await page.GetByLabel("Kata sandi baru", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Ulangi kata sandi baru").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ubah kata sandi" }).ClickAsync();
        Assert.Contains("Kata sandi saat ini tidak benar.", await page.Locator("#CurrentPassword ~ .error").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-account-refused");

        // Right this time: every session ends, this one too; the new password signs in.
        await page.GetByLabel("Kata sandi saat ini").FillAsync(HttpWorld.Password);
        await page.GetByLabel("Kata sandi baru", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Ulangi kata sandi baru").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ubah kata sandi" }).ClickAsync();
        Assert.Contains("/masuk?changed=true", page.Url, StringComparison.Ordinal);
        Assert.Contains("Kata sandi diubah.", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Null(await server.Ca.Sessions.AuthenticateAsync(world.Tokens["subscriber"]));
        Assert.Equal(SignInOutcome.Success, (await server.Ca.Users.SignInAsync("budi", NewPassword, null, null)).Outcome);

        // The administrator, on each account's page: a new authenticator for the RA officer (shown once), budi's password set back,
        // and the auditor made an agency head of DINKES.
        await PortalFlowTests.SignInAsync(browser, "admin.portal", server.NextTotp(adminTotp));
        await page.GotoAsync("/admin/pengguna");
        await page.GetByRole(AriaRole.Link, new() { Name = "rahmat", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Autentikator baru" }).ClickAsync();
        string uri = await page.Locator("[role=status] .mono").InnerTextAsync();
        Assert.StartsWith("otpauth://totp/", uri, StringComparison.Ordinal);
        Assert.Contains("Akun rahmat memerlukan kode autentikator", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Null(await server.Ca.Sessions.AuthenticateAsync(world.Tokens["ra-officer"]));
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-new-authenticator");

        await page.GotoAsync("/admin/pengguna/budi");
        await page.GetByLabel("Kata sandi baru").FillAsync("pendek");
        await page.GetByRole(AriaRole.Button, new() { Name = "Atur ulang kata sandi" }).ClickAsync();
        Assert.Contains("Kata sandi paling sedikit 12 karakter.", await page.Locator("#NewPassword ~ .error").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Kata sandi baru").FillAsync(HttpWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Atur ulang kata sandi" }).ClickAsync();
        Assert.Contains("Kata sandi diatur ulang", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Equal(SignInOutcome.Success, (await server.Ca.Users.SignInAsync("budi", HttpWorld.Password, null, null)).Outcome);
        await browser.AccessibleAsync();

        await page.GotoAsync("/admin/pengguna/auditor");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Pimpinan perangkat daerah" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan peran" }).ClickAsync();
        Assert.Contains("Kepala perangkat daerah memerlukan perangkat daerah", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Kode perangkat daerah (untuk pimpinan perangkat daerah)").FillAsync("DINKES");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan peran" }).ClickAsync();
        Assert.Contains("Peran disimpan.", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Contains("DINKES", await page.Locator("dl.facts").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True((await server.Ca.Sessions.AuthenticateAsync(world.Tokens["auditor"]))!.Has(Role.AgencyHead));
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-user-roles");
    }
}
