using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// Getting in (issue 19.8, 19.9): an approved holder without an account gets one and a single-use link to their
/// official e-mail, sets a password and signs in; the agency head hears what comes next; an administrator can send a
/// new link. A demonstration regency, which has no mail server, shows its mail in the portal, links pointing where it is served.
/// </summary>
public sealed partial class PortalOnboardingTests
{
    private const string AndiPassword = "perahu-layar-di-teluk-9";

    [Fact]
    public async Task An_approved_holder_without_an_account_sets_a_password_by_the_emailed_link_and_signs_in()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string andi = $"andi.{world.Tag}@tanahbumbukab.go.id";
        await world.ApproveAsync(await world.ApplyAsync("agency-head", "new", world.KominfoDesk, nip: HttpWorld.AndiNip, holderEmail: andi));

        // The holder's notice carries the link and the username; the head's says what happens next, without the link.
        MimeMessage issued = await TestSmtp.NextAsync(andi, m => (m.Subject ?? "").Contains("diterbitkan", StringComparison.Ordinal), world.SeenMail);
        string body = issued.TextBody ?? "";
        Assert.Contains(HttpWorld.AndiNip, body, StringComparison.Ordinal);
        string link = LinkPattern().Match(body).Value;
        Assert.StartsWith(server.Url + "/undangan/", link, StringComparison.Ordinal);
        MimeMessage head = await TestSmtp.NextAsync(world.KominfoDesk, m => (m.Subject ?? "").Contains("diterbitkan", StringComparison.Ordinal), world.SeenMail);
        Assert.DoesNotContain("/undangan/", head.TextBody, StringComparison.Ordinal);
        Assert.Contains("tautan untuk membuat kata sandi", head.TextBody, StringComparison.Ordinal);

        // Nothing opens the account before the link is used.
        using (HttpClient anonymous = server.Client())
        {
            HttpResponseMessage early = await anonymous.PostAsJsonAsync("/api/v1/sessions", new { username = HttpWorld.AndiNip, password = AndiPassword });
            Assert.Equal(HttpStatusCode.Unauthorized, early.StatusCode);
        }

        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(An_approved_holder_without_an_account_sets_a_password_by_the_emailed_link_and_signs_in));
        IPage page = browser.Page;
        await page.GotoAsync(link);
        Assert.Equal(HttpWorld.AndiNip, await page.Locator("[data-username]").InnerTextAsync());
        Assert.Contains("Andi Pratama", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("invitation");

        // Two different passwords, then a short one: said in Indonesian, the link still good.
        await page.GetByLabel("Kata sandi baru", new() { Exact = true }).FillAsync(AndiPassword);
        await page.GetByLabel("Ulangi kata sandi baru").FillAsync(AndiPassword + "x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan kata sandi" }).ClickAsync();
        Assert.Contains("tidak sama", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Kata sandi baru", new() { Exact = true }).FillAsync("pendek");
        await page.GetByLabel("Ulangi kata sandi baru").FillAsync("pendek");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan kata sandi" }).ClickAsync();
        Assert.Contains("paling sedikit", (await page.Locator("main").InnerTextAsync()).ToLowerInvariant(), StringComparison.Ordinal);
        await browser.AccessibleAsync();

        await page.GetByLabel("Kata sandi baru", new() { Exact = true }).FillAsync(AndiPassword);
        await page.GetByLabel("Ulangi kata sandi baru").FillAsync(AndiPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan kata sandi" }).ClickAsync();
        Assert.Contains("/masuk?opened=", page.Url, StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-opened]").IsVisibleAsync());
        Assert.Equal(HttpWorld.AndiNip, await page.GetByLabel("Nama pengguna").InputValueAsync());
        await browser.AccessibleAsync();
        await page.GetByLabel("Kata sandi", new() { Exact = true }).FillAsync(AndiPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        Assert.EndsWith("/beranda", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/saya");
        Assert.Contains("Andi Pratama", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.ShotAsync("invitation-signed-in");
        await PortalFlowTests.SignOutAsync(page);

        // The link is spent: it says so, in either language, and how to get another.
        await page.GotoAsync(link);
        Assert.Contains("tidak berlaku lagi", await page.Locator("[data-unusable]").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await page.GotoAsync($"/bahasa?to=en&back={Uri.EscapeDataString(new Uri(link).AbsolutePath)}");
        Assert.Contains("not valid any more", await page.Locator("[data-unusable]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_sends_a_new_link_that_replaces_the_old_one()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string andi = $"andi.{world.Tag}@tanahbumbukab.go.id";
        using (HttpClient officer = world.As("ra-officer"))
        {
            await HttpWorld.OkJsonAsync(await officer.PostAsync($"/api/v1/employees/{HttpWorld.AndiNip}/invitation", null));
        }
        string first = LinkPattern().Match((await TestSmtp.NextAsync(andi, m => (m.Subject ?? "").Contains("Akun portal", StringComparison.Ordinal), world.SeenMail)).TextBody ?? "").Value;
        Assert.NotEmpty(first);

        string adminTotp = await PortalRolesTests.CreateAdminAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(An_administrator_sends_a_new_link_that_replaces_the_old_one));
        IPage page = browser.Page;
        await PortalFlowTests.SignInAsync(browser, "admin.portal", server.NextTotp(adminTotp));
        await page.GotoAsync("/admin/pengguna");
        Assert.Contains("Menunggu kata sandi", await page.Locator("tr", new() { HasText = HttpWorld.AndiNip }).InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync($"/admin/pengguna/{HttpWorld.AndiNip}");
        await page.Locator("[data-invite]").ClickAsync();
        Assert.Contains("Tautan undangan baru dikirim", await page.Locator("[role=status]").First.InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("user-invite-again");

        string second = LinkPattern().Match((await TestSmtp.NextAsync(andi, m => (m.Subject ?? "").Contains("Akun portal", StringComparison.Ordinal), world.SeenMail)).TextBody ?? "").Value;
        Assert.NotEqual(first, second);
        using HttpClient anonymous = server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(second)).StatusCode);
    }

    [Fact]
    public async Task A_demonstration_shows_its_mail_with_links_to_where_it_is_served()
    {
        // Built for another address than it is served at, and without a mail server: as `segel demo` then `segel serve --urls …`.
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", o =>
        {
            o["Smtp:Host"] = null;
            o["Demonstration"] = "true";
            o["PublicBaseUrl"] = "http://segel.demo.invalid:8080";
        });
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string andi = $"andi.{world.Tag}@tanahbumbukab.go.id";
        long id;
        using (HttpClient head = world.As("agency-head"))
        {
            id = (await HttpWorld.OkJsonAsync(await head.PostAsJsonAsync("/api/v1/enrollments", new { nip = HttpWorld.AndiNip, contactEmail = world.KominfoDesk, kind = "new" })))
                .GetProperty("id").GetInt64();
            foreach (string document in new[] { "request-letter", "recommendation-letter", "registration-form", "appointment-decree", "id-card" })
            {
                await HttpWorld.OkJsonAsync(await head.PutAsync($"/api/v1/enrollments/{id}/documents/{document}", HttpWorld.Pdf(document)));
            }
        }

        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(A_demonstration_shows_its_mail_with_links_to_where_it_is_served));
        IPage page = browser.Page;
        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        await page.Locator("[data-demo-mail]").ClickAsync();
        ILocator mail = page.Locator("[data-mail]", new() { HasText = andi }).First;
        Assert.Contains("Konfirmasi", await mail.Locator("h2").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("demo-mail");

        // Only that person's mail, then the link: it leads here, not to the address the demonstration was built for.
        await mail.Locator("[data-to]").ClickAsync();
        Assert.All(await page.Locator("[data-mail] [data-to]").AllInnerTextsAsync(), to => Assert.Equal(andi, to));
        ILocator confirm = page.Locator("[data-mail] a[href*='/confirm/']").First;
        Assert.StartsWith(server.Url + $"/confirm/{id}?code=", await confirm.GetAttributeAsync("href"), StringComparison.Ordinal);
        await confirm.ClickAsync();
        Assert.Matches("^[A-Z0-9]{6,}$", await page.GetByLabel("Kode dari surel").InputValueAsync());

        // In English too.
        await page.GotoAsync("/bahasa?to=en&back=/demo/surel");
        Assert.Contains("demonstration regency", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
    }

    [GeneratedRegex(@"https?://\S+/undangan/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
