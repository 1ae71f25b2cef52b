using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Segel.Core.Storage;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// Single sign-on in Debian's Chromium against a real OpenID Connect provider (node's oidc-provider, started by
/// scripts/test.sh): nothing in the protocol is simulated. A holder whose account waits for its invitation comes in by
/// e-mail, which opens it; an RA officer by NIP, then Segel's authenticator code; an officer whose provider asserted a second factor
/// straight away; a stranger, a cancelled sign-in and an unreachable provider each get a clear message; the password
/// form stays beside the button.
/// </summary>
public sealed class SingleSignOnTests
{
    private static async Task ThroughProviderAsync(IPage page, string server, string subject, string? nip = null, string? email = null, bool mfa = false, bool cancel = false)
    {
        await page.GotoAsync("/masuk");
        await page.GetByRole(AriaRole.Link, new() { Name = "Masuk dengan SSO Pemkab" }).ClickAsync();
        Assert.StartsWith(TestIdentityProvider.Issuer + "/interaction/", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("NIP").FillAsync(nip ?? "");
        await page.GetByLabel("E-mail", new() { Exact = true }).FillAsync(email ?? "");
        if (mfa)
        {
            await page.GetByLabel("Second factor used").CheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = cancel ? "Cancel" : "Sign in" }).ClickAsync();
        // Back through the provider's /auth and Segel's /signin-oidc to wherever Segel sends the browser.
        await Browser.ArriveAsync(page, url => url.StartsWith(server, StringComparison.Ordinal) && !url.Contains("/signin-oidc", StringComparison.Ordinal));
    }

    private static async Task SignOutEverywhereAsync(IPage page)
    {
        // The provider keeps its own session; a new person at the same browser starts clean.
        await page.Context.ClearCookiesAsync();
    }

    [Fact]
    public async Task Holders_and_officers_sign_in_through_the_regencys_provider()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", (settings, url) => TestIdentityProvider.ConfigureAsync(settings, url));
        HttpWorld world = await HttpWorld.CreateAsync(server);
        // Andi's account is made for him and closed until he uses the invitation mailed to him.
        using (HttpClient officer = server.Client(world.Tokens["ra-officer"]))
        {
            HttpResponseMessage invited = await officer.PostAsync($"/api/v1/employees/{HttpWorld.AndiNip}/invitation", null);
            Assert.True(invited.IsSuccessStatusCode, await invited.Content.ReadAsStringAsync());
        }
        string andiEmail = $"andi.{world.Tag}@tanahbumbukab.go.id";
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(SingleSignOnTests));
        IPage page = browser.Page;

        // The sign-in page offers the provider beside the password form.
        await page.GotoAsync("/masuk");
        await browser.AccessibleAsync();
        await browser.ShotAsync("sign-in-with-provider");
        Assert.True(await page.GetByLabel("Kata sandi").IsVisibleAsync());

        // A holder, known to the provider by the official e-mail (in its own spelling): in, as Andi, with Segel's view of him.
        await ThroughProviderAsync(page, server.Url, "andi-at-regency", email: andiEmail.ToUpperInvariant());
        Assert.EndsWith("/beranda", page.Url, StringComparison.Ordinal);
        Assert.Equal("Andi Pratama", (await page.Locator("a.who").InnerTextAsync()).Trim());
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-signed-in");
        await page.GotoAsync("/saya");
        Assert.EndsWith("/saya", page.Url, StringComparison.Ordinal);
        await using (SegelDbContext db = server.Ca.Database.CreateContext())
        {
            UserRecord andi = await db.Users.SingleAsync(u => u.Username == HttpWorld.AndiNip);
            Assert.False(andi.Disabled); // the invitation's job is done: the provider proved who he is
            Assert.Equal($"{TestIdentityProvider.Issuer} andi-at-regency", andi.ProviderSubject);
            Assert.True(await db.Invitations.Where(i => i.UserId == andi.Id).AllAsync(i => i.UsedAt != null));
        }
        await SignOutEverywhereAsync(page);

        // An RA officer, known by NIP, whose provider used a password alone: Segel asks for its own code.
        await ThroughProviderAsync(page, server.Url, "rahmat-at-regency", nip: HttpWorld.OfficerNip);
        Assert.EndsWith("/masuk/kode", page.Url, StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("officer-asked-for-code");
        await page.GetByLabel("Kode autentikator").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        Assert.Contains("Kode autentikator salah", await page.Locator("form").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Kode autentikator").FillAsync(server.NextTotp(world.OfficerTotpUri!));
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        Assert.EndsWith("/beranda", page.Url, StringComparison.Ordinal);
        Assert.Equal("rahmat", (await page.Locator("a.who").InnerTextAsync()).Trim());
        await page.GotoAsync("/permohonan");
        Assert.EndsWith("/permohonan", page.Url, StringComparison.Ordinal); // the officer's role is Segel's, and it holds
        await SignOutEverywhereAsync(page);

        // The same officer, when the provider asserts a second factor (amr otp): straight in.
        await ThroughProviderAsync(page, server.Url, "rahmat-at-regency", mfa: true);
        Assert.EndsWith("/beranda", page.Url, StringComparison.Ordinal);
        Assert.Equal("rahmat", (await page.Locator("a.who").InnerTextAsync()).Trim());
        await SignOutEverywhereAsync(page);

        // Someone the personnel file does not know, and another provider account claiming Andi's NIP: no session, a clear word.
        await ThroughProviderAsync(page, server.Url, "stranger", nip: "199912312020121001");
        Assert.Contains("sso=unknown", page.Url, StringComparison.Ordinal);
        Assert.Contains("tidak cocok dengan akun Segel", await page.Locator("[data-sign-on-problem]").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("not-linked");
        await SignOutEverywhereAsync(page);
        await ThroughProviderAsync(page, server.Url, "impostor", nip: HttpWorld.AndiNip);
        Assert.Contains("sso=unknown", page.Url, StringComparison.Ordinal);
        await SignOutEverywhereAsync(page);

        // Cancelled at the provider.
        await ThroughProviderAsync(page, server.Url, "andi-at-regency", cancel: true);
        Assert.Contains("sso=cancelled", page.Url, StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-sign-on-problem]").IsVisibleAsync());

        // The code page without a provider's answer behind it (expired, or never there) sends back to the sign-in.
        await page.GotoAsync("/masuk/kode");
        Assert.Contains("sso=expired", page.Url, StringComparison.Ordinal);
        Assert.True(browser.Problems.Count == 0, string.Join("\n", browser.Problems));
    }

    [Fact]
    public async Task An_unreachable_provider_leaves_the_password_sign_in()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", o =>
        {
            o["SignOn:Authority"] = $"http://127.0.0.1:{InProcessServer.FreePort()}";
            o["SignOn:ClientId"] = "segel";
            o["SignOn:ClientSecret"] = "rahasia";
            o["SignOn:RequireHttpsMetadata"] = "false";
        });
        using HttpClient client = server.Client();
        HttpResponseMessage response = await client.GetAsync("/masuk/sso");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Penyedia identitas tidak dapat dihubungi", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Without single sign-on there is no button and no provider page.
        await using InProcessServer plain = await InProcessServer.StartAsync("sqlite");
        using HttpClient plainClient = plain.Client();
        Assert.DoesNotContain("data-sign-on", await plainClient.GetStringAsync("/masuk"), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await plainClient.GetAsync("/masuk/sso")).StatusCode);
    }
}
