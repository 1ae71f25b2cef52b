using Microsoft.Playwright;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>Institutional e-seals in the portal (issue 23.2): the agency head applies on /segel-instansi and the RA officer approves there; axe on every step.</summary>
public sealed class PortalSealTests
{
    [Fact]
    public async Task An_agency_head_applies_for_a_seal_and_the_ra_officer_approves_it()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(An_agency_head_applies_for_a_seal_and_the_ra_officer_approves_it));
        IPage page = browser.Page;

        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        await page.GetByRole(AriaRole.Link, new() { Name = "Segel instansi" }).First.ClickAsync();
        await page.GetByLabel("Nama segel").FillAsync("Sistem e-Surat Diskominfo");
        await page.GetByLabel("Untuk apa").FillAsync("Surat keluar aplikasi e-Surat Diskominfo.");
        await browser.AccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajukan segel instansi" }).ClickAsync();
        Assert.Contains("Permohonan segel dikirim", await page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("applied", await page.Locator("[data-seal]").GetAttributeAsync("data-state"));
        await PortalFlowTests.SignOutAsync(page);

        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GotoAsync("/segel-instansi");
        ILocator decide = page.Locator("[data-decide]");
        await decide.Locator("form").First.GetByLabel("Passphrase Anda").FillAsync(HttpWorld.OfficerPassphrase);
        await browser.AccessibleAsync();
        await decide.GetByRole(AriaRole.Button, new() { Name = "Setujui dan terbitkan sertifikat" }).ClickAsync();
        Assert.Contains("Segel disetujui", await page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("approved", await page.Locator("[data-seal]").GetAttributeAsync("data-state"));
        await browser.AccessibleAsync();
        await browser.ShotAsync("seal-approved");
    }
}
