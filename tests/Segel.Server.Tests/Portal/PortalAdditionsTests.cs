using Microsoft.Playwright;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// What users expected and did not find (issue 19): the public's verdict in one plain sentence with the technical
/// checks folded and a page that prints; lists that become cards on a phone; the RA's next application after a
/// decision; a holder's own signatures and an expiring certificate marked; a warning when no mail server is set.
/// </summary>
public sealed class PortalAdditionsTests
{
    [Fact]
    public async Task Public_verification_says_who_for_which_agency_and_when_first_folds_the_checks_and_prints_clean()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        using HttpClient app = await server.SigningApplicationAsync("esurat");
        HttpResponseMessage signed = await BudiSignsAsync(app, "edaran.pdf");
        string qrUrl = signed.Headers.GetValues("X-Segel-Verification-Url").Single();
        string pdf = server.Directory.Write("edaran-ttd.pdf", await signed.Content.ReadAsByteArrayAsync());
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Public_verification_says_who_for_which_agency_and_when_first_folds_the_checks_and_prints_clean));
        IPage page = browser.Page;

        // The QR page: the first thing under the title is one sentence — who, which agency, when, and that it stands.
        await page.GotoAsync(qrUrl);
        ILocator first = page.Locator("main .verdict").First;
        string plain = await first.InnerTextAsync();
        Assert.Equal("data-plain-verdict", await first.EvaluateAsync<string>("e => e.hasAttribute('data-plain-verdict') ? 'data-plain-verdict' : ''"));
        Assert.Contains("Budi Santoso", plain, StringComparison.Ordinal);
        Assert.Contains("Dinas Komunikasi dan Informatika", plain, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2} WITA", plain);
        Assert.Contains("masih berlaku", plain, StringComparison.Ordinal);
        // The serial, level and hash are there, folded.
        Assert.False(await page.GetByText("SHA-256").First.IsVisibleAsync());
        Assert.Equal("button", await page.Locator("form.verify-upload button").GetAttributeAsync("class"));
        await browser.AccessibleAsync();
        await browser.ShotAsync("qr-page-plain");

        // The uploaded letter: the same sentence first, "unchanged" in words; the checks folded.
        await page.Locator("#file").SetInputFilesAsync(pdf);
        await page.GetByRole(AriaRole.Button, new() { Name = "Periksa" }).ClickAsync();
        string verdict = await page.Locator("[data-plain-verdict]").First.InnerTextAsync();
        Assert.Contains("tidak diubah sejak ditandatangani", verdict, StringComparison.Ordinal);
        Assert.Contains("Budi Santoso", verdict, StringComparison.Ordinal);
        Assert.False(await page.GetByText("SAH (VALID)").First.IsVisibleAsync());
        await page.GetByText("Rincian teknis pemeriksaan").First.ClickAsync();
        Assert.True(await page.GetByText("SAH (VALID)").First.IsVisibleAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("upload-result-plain");

        // Printed, it is the verdict and the facts: no forms, no site navigation.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator("form").First.IsVisibleAsync());
        Assert.False(await page.Locator("footer").IsVisibleAsync());
        Assert.True(await page.Locator("[data-plain-verdict]").First.IsVisibleAsync());
        await browser.ShotAsync("upload-result-print");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        // In English, the same sentence in English.
        await page.GotoAsync(qrUrl + "?lang=en");
        string english = await page.Locator("[data-plain-verdict]").InnerTextAsync();
        Assert.StartsWith("The letter with this code was signed electronically by Budi Santoso", english, StringComparison.Ordinal);
        await browser.AccessibleAsync();
    }

    [Fact]
    public async Task On_a_phone_the_staff_list_and_the_queues_are_cards_with_nothing_off_screen()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        long id = await world.ApplyAsync("agency-head", "new", world.KominfoDesk);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(On_a_phone_the_staff_list_and_the_queues_are_cards_with_nothing_off_screen));
        IPage page = browser.Page;
        await page.SetViewportSizeAsync(390, 844);

        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        foreach (string path in new[] { "/pegawai", "/permohonan?state=submitted", "/pencabutan" })
        {
            await page.GotoAsync(path);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways");
            foreach (ILocator cell in await page.Locator("table.cards tbody td").AllAsync())
            {
                LocatorBoundingBoxResult? box = await cell.BoundingBoxAsync();
                Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= 390.5, $"{path}: a cell lies off-screen ({box?.X}, {box?.Width})");
            }
            await browser.AccessibleAsync();
            await browser.ShotAsync("phone" + path.Replace('/', '-').Replace('?', '-').Replace('=', '-'));
        }
        // Each cell says what it is, and a NIP stays on one line.
        await page.GotoAsync("/pegawai?q=Budi");
        Assert.Equal("NIP", await page.Locator("tbody td.nip").First.EvaluateAsync<string>("e => getComputedStyle(e, '::before').content.replaceAll('\"', '')"));
        LocatorBoundingBoxResult nip = (await page.Locator("tbody td.nip").First.BoundingBoxAsync())!;
        Assert.True(nip.Height < 60, $"the NIP wraps ({nip.Height}px)");
        await page.GotoAsync($"/permohonan/{id}");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the application page scrolls sideways");
        await PortalFlowTests.SignOutAsync(page);

        // The subscriber agreement reads as paragraphs that reflow, not a fixed-width text cut at the edge.
        await PortalFlowTests.SignInAsync(browser, "auditor");
        await page.GotoAsync("/admin/perjanjian");
        ILocator agreement = page.Locator(".agreement").First;
        Assert.Equal(0, await agreement.Locator("pre").CountAsync());
        Assert.True(await agreement.Locator("p").CountAsync() >= 8);
        Assert.Contains("(Pasal 19 huruf a)", await agreement.Locator("p").Nth(3).InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await agreement.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), "the agreement scrolls sideways");
        await browser.AccessibleAsync();
        await browser.ShotAsync("phone-agreement");
    }

    [Fact]
    public async Task The_ra_goes_on_to_the_next_application_and_a_holder_sees_their_signatures_and_an_expiring_certificate()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        long budi = await world.ApplyAsync("agency-head", "new", world.KominfoDesk);
        long andi = await world.ApplyAsync("agency-head", "new", world.KominfoDesk, nip: HttpWorld.AndiNip, holderEmail: $"andi.{world.Tag}@tanahbumbukab.go.id");
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(The_ra_goes_on_to_the_next_application_and_a_holder_sees_their_signatures_and_an_expiring_certificate));
        IPage page = browser.Page;

        // After deciding one application, the officer is offered the next in the queue.
        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GotoAsync($"/permohonan/{budi}");
        await page.GetByLabel("Passphrase Anda").First.FillAsync(HttpWorld.OfficerPassphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Setujui dan terbitkan sertifikat" }).ClickAsync();
        ILocator next = page.Locator("[data-next-in-queue]");
        Assert.Equal($"Berikutnya dalam antrean: #{andi} — Andi Pratama", await next.InnerTextAsync());
        await browser.AccessibleAsync();
        await next.ClickAsync();
        Assert.EndsWith($"/permohonan/{andi}", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Passphrase Anda").First.FillAsync(HttpWorld.OfficerPassphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Setujui dan terbitkan sertifikat" }).ClickAsync();
        Assert.Contains("Tidak ada lagi permohonan yang menunggu keputusan", await Browser.StatusAsync(page), StringComparison.Ordinal);
        await PortalFlowTests.SignOutAsync(page);

        // Budi signs twice through an application; his page lists both with their verification pages.
        using HttpClient app = await server.SigningApplicationAsync("esurat");
        foreach (string name in new[] { "nota-1.pdf", "nota-2.pdf" })
        {
            await BudiSignsAsync(app, name);
            server.Time.Advance(TimeSpan.FromMinutes(1));
        }
        await PortalFlowTests.SignInAsync(browser, "budi");
        await page.GotoAsync("/saya");
        ILocator history = page.Locator("[data-signature-history] tbody tr");
        Assert.Equal(2, await history.CountAsync());
        Assert.Contains("nota-2.pdf", await history.First.InnerTextAsync(), StringComparison.Ordinal);
        string verify = await history.First.GetByRole(AriaRole.Link).GetAttributeAsync("href") ?? "";
        Assert.Matches("^/verify/[0-9a-f]{32}$", verify);
        Assert.Equal(0, await page.Locator("[data-expiring]").CountAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-signature-history");
        await PortalFlowTests.SignOutAsync(page);

        // Twenty-two months on, his certificate is marked as running out, on his page and in his agency's staff list.
        server.Time.Advance(TimeSpan.FromDays(670));
        await world.RefreshSessionsAsync();
        await PortalFlowTests.SignInAsync(browser, "budi");
        Assert.Contains("Sertifikat Anda berakhir pada", await page.Locator("[data-notices]").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await page.GotoAsync("/saya");
        Assert.Equal("Segera berakhir", await page.Locator("[data-expiring]").InnerTextAsync());
        await browser.AccessibleAsync();
        await PortalFlowTests.SignOutAsync(page);
        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        await page.GotoAsync("/pegawai?q=budi");
        Assert.Equal("Segera berakhir", await page.Locator("tbody [data-expiring]").InnerTextAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("staff-expiring-mark");
    }

    [Fact]
    public async Task The_settings_page_warns_when_no_mail_server_is_set()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", o => o["Smtp:Host"] = null);
        string adminTotp = await PortalRolesTests.CreateAdminAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(The_settings_page_warns_when_no_mail_server_is_set));
        IPage page = browser.Page;
        await PortalFlowTests.SignInAsync(browser, "admin.portal", server.NextTotp(adminTotp));
        await page.GotoAsync("/admin/pengaturan");
        Assert.Contains("Server surel belum diatur", await page.Locator("[data-smtp-warning]").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("settings-smtp-warning");
    }

    /// <summary>Budi signs a one-page letter through an e-government application (the national API's shape).</summary>
    private static async Task<HttpResponseMessage> BudiSignsAsync(HttpClient app, string name)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(SamplePdf.Letter(name)), "file", name },
            { new StringContent(HttpWorld.BudiNik), "nik" },
            { new StringContent(HttpWorld.HolderPassphrase), "passphrase" },
        };
        HttpResponseMessage signed = await app.PostAsync("/api/sign/pdf", form);
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        return signed;
    }
}
