using Microsoft.Playwright;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// Institutional e-seals in the portal (issue 23.2): the agency head applies on /segel-instansi and the RA officer approves
/// there; the administrator issues the application its seal token on /admin/aplikasi, shown once, and revokes it. Axe on every step.
/// </summary>
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
        await PortalFlowTests.SignOutAsync(page);

        // The administrator connects e-Surat: a seal token issued on /admin/aplikasi, shown once, which seals from here.
        string adminTotp = await PortalRolesTests.CreateAdminAsync(server);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await PortalFlowTests.SignInAsync(browser, "admin.portal", server.NextTotp(adminTotp));
        await page.GetByRole(AriaRole.Link, new() { Name = "Aplikasi terhubung" }).First.ClickAsync();
        await page.GetByLabel("Aplikasi", new() { Exact = true }).FillAsync("esurat");
        // Networks without a seal would bind nothing: refused beside their field, not dropped.
        await page.Locator("input[name=ScopeNames][value='sign:pdf']").CheckAsync();
        await page.GetByLabel("Jaringan tempat aplikasi menyegel", new() { Exact = false }).FillAsync("10.20.0.0/16");
        await page.GetByRole(AriaRole.Button, new() { Name = "Terbitkan token" }).ClickAsync();
        Assert.Contains("pilih juga segelnya", await page.Locator("[data-valmsg-for=Networks]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-token]").CountAsync());
        await page.Locator("input[name=ScopeNames][value='sign:pdf']").UncheckAsync();
        await page.Locator("input[name=ScopeNames][value='seal:sign']").CheckAsync();
        await page.GetByLabel("Segel instansi (hanya untuk seal:sign)").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        // A network that is the whole Internet is refused beside its field, in Bahasa Indonesia, and nothing is issued.
        await page.GetByLabel("Jaringan tempat aplikasi menyegel", new() { Exact = false }).FillAsync("0.0.0.0/0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Terbitkan token" }).ClickAsync();
        Assert.Contains("0.0.0.0/0", await page.Locator("[data-valmsg-for=Networks]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-token]").CountAsync());
        await browser.AccessibleAsync();
        await page.GetByLabel("Jaringan tempat aplikasi menyegel", new() { Exact = false }).FillAsync("127.0.0.0/8\n::1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Terbitkan token" }).ClickAsync();
        Assert.Contains("hanya ditampilkan kali ini", await Browser.StatusAsync(page), StringComparison.Ordinal);
        string token = await page.Locator("[data-token]").InnerTextAsync();
        Assert.Equal("active", await page.Locator("[data-token-row]").GetAttributeAsync("data-state"));
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-issued-seal-token");
        using (HttpClient app = server.BasicClient("esurat", token))
        {
            using var letter = new MultipartFormDataContent { { new ByteArrayContent(SamplePdf.Letter("Surat edaran")), "file", "edaran.pdf" } };
            HttpResponseMessage sealedLetter = await app.PostAsync("/api/v1/documents/seal", letter);
            Assert.True(sealedLetter.IsSuccessStatusCode, await sealedLetter.Content.ReadAsStringAsync());
        }

        // Opened again, the page no longer shows the token; revoked, the token stops at once.
        await page.GotoAsync("/admin/aplikasi");
        Assert.Equal(0, await page.Locator("[data-token]").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Cabut token esurat" }).ClickAsync();
        Assert.Contains("Token dicabut", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Equal("revoked", await page.Locator("[data-token-row]").GetAttributeAsync("data-state"));
        await browser.AccessibleAsync();
        using (HttpClient app = server.BasicClient("esurat", token))
        {
            using var letter = new MultipartFormDataContent { { new ByteArrayContent(SamplePdf.Letter("Surat lain")), "file", "lain.pdf" } };
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await app.PostAsync("/api/v1/documents/seal", letter)).StatusCode);
        }
    }
}
