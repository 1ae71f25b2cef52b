using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Segel.Server.Tests.Portal;

/// <summary>The supervising roles' pages, the language switch, a phone's screen, and what the sign-in refuses — in a real browser.</summary>
public sealed class PortalRolesTests
{
    [Fact]
    public async Task Auditor_and_administrator_supervise_import_and_read_in_both_languages()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        string adminTotp = await CreateAdminAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Auditor_and_administrator_supervise_import_and_read_in_both_languages));
        IPage page = browser.Page;

        // The auditor browses the record and checks the whole chain.
        await PortalFlowTests.SignInAsync(browser, "auditor");
        await page.GetByRole(AriaRole.Link, new() { Name = "Jejak audit" }).First.ClickAsync();
        await page.GetByLabel("Cari (tindakan, pelaku, subjek, rincian)").FillAsync("permohonan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Saring" }).ClickAsync();
        Assert.Contains("Permohonan disetujui", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Periksa integritas" }).ClickAsync();
        Assert.Contains("Rantai audit utuh", await page.Locator("[data-verification]").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("auditor-audit-trail");
        await page.GetByRole(AriaRole.Link, new() { Name = "Status CA" }).First.ClickAsync();
        Assert.Contains("Sehat", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Contains("OCSP menjawab: baik", await page.Locator("[data-ocsp-probe]").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("auditor-ca-status");
        await PortalFlowTests.SignOutAsync(page);

        // The administrator imports the personnel office's file: checked first, a bad row shown with its reason.
        await PortalFlowTests.SignInAsync(browser, "admin.portal", server.NextTotp(adminTotp));
        await page.GetByRole(AriaRole.Link, new() { Name = "Impor pegawai" }).First.ClickAsync();
        string csv = "nip;nik;nama;jabatan;kode_perangkat_daerah;nama_perangkat_daerah;unit_kerja;email\n" +
            $"199202022016011001;6310010202920003;Fajar Ramadhani;Arsiparis;DISKOMINFO;Dinas Komunikasi dan Informatika;;fajar.{world.Tag}@tanahbumbukab.go.id\n" +
            $"12345;6310010202920004;Nomor Salah;Arsiparis;DISKOMINFO;Dinas Komunikasi dan Informatika;;salah.{world.Tag}@tanahbumbukab.go.id\n";
        await page.GetByLabel("Berkas CSV pegawai").SetInputFilesAsync(new FilePayload { Name = "pegawai.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Proses berkas" }).ClickAsync();
        ILocator result = page.Locator("[data-import-result]");
        await result.WaitForAsync();
        string rows = await result.InnerTextAsync();
        Assert.Contains("Ada baris yang ditolak", rows, StringComparison.Ordinal);
        Assert.Contains("NIP terdiri dari tepat 18 digit", rows, StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-import-rejected-row");
        await page.GetByLabel("Berkas CSV pegawai").SetInputFilesAsync(new FilePayload { Name = "pegawai.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv[..csv.IndexOf("12345", StringComparison.Ordinal)]) });
        await page.GetByLabel("Periksa saja, jangan simpan").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Proses berkas" }).ClickAsync();
        // The answer replaces the result in place (no new page), so wait for it.
        await page.Locator("[data-import-result]", new() { HasText = "Impor disimpan" }).WaitForAsync();
        await browser.ShotAsync("admin-import-applied");

        // Accounts and roles: a new agency head for Dinas Kesehatan; the agreement's versions; agencies and settings in force.
        await page.GetByRole(AriaRole.Link, new() { Name = "Pengguna" }).First.ClickAsync();
        Assert.Contains("rahmat", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Nama pengguna", new() { Exact = true }).FillAsync("wakil.dinkes");
        await page.GetByLabel("Nama", new() { Exact = true }).FillAsync("Wakil Kepala Dinas Kesehatan");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Pimpinan perangkat daerah" }).CheckAsync();
        await page.GetByLabel("Kode perangkat daerah (untuk pimpinan perangkat daerah)").FillAsync("DINKES");
        await page.GetByLabel("Kata sandi awal (min. 12 karakter)").FillAsync(HttpWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buat akun" }).ClickAsync();
        Assert.Contains("Akun dibuat.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("wakil.dinkes", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-users");
        await page.GetByRole(AriaRole.Link, new() { Name = "Perjanjian pemilik" }).First.ClickAsync();
        Assert.Contains("PERJANJIAN PEMILIK SERTIFIKAT ELEKTRONIK", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-agreements");
        await page.GetByRole(AriaRole.Link, new() { Name = "Perangkat daerah" }).First.ClickAsync();
        Assert.Contains("DISKOMINFO", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Pengaturan" }).First.ClickAsync();
        Assert.Equal("tanahbumbukab.go.id", await page.GetByLabel("Domain surel resmi (Pasal 14 huruf f)").InputValueAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-settings");

        // In English, and on a phone.
        await page.GotoAsync("/beranda");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        Assert.StartsWith("Welcome", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Staff" }).First.ClickAsync();
        Assert.Contains("Valid certificate", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-staff-english");
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await browser.ShotAsync("admin-staff-phone");
        string wide = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 5).join('; ')
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"the page scrolls sideways on a phone: {wide}");
        await browser.AccessibleAsync();
    }

    [Fact]
    public async Task Sign_in_refuses_clearly_sessions_end_and_forms_need_their_token()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Sign_in_refuses_clearly_sessions_end_and_forms_need_their_token));
        IPage page = browser.Page;

        await page.GotoAsync("/masuk");
        await page.GetByLabel("Nama pengguna").FillAsync("budi");
        await page.GetByLabel("Kata sandi").FillAsync("bukan kata sandinya");
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        Assert.Contains("Nama pengguna atau kata sandi salah.", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("wrong-password");

        // An RA officer's password alone is not enough: the page asks for the authenticator's code.
        await page.GetByLabel("Nama pengguna").FillAsync("rahmat");
        await page.GetByLabel("Kata sandi").FillAsync(HttpWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        Assert.Contains("kode 6 digit", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/masuk", page.Url, StringComparison.Ordinal);

        // The session cookie is HttpOnly and SameSite; the page's headers forbid framing and foreign scripts.
        IResponse? signedIn = null;
        await page.GetByLabel("Nama pengguna").FillAsync("budi");
        await page.GetByLabel("Kata sandi").FillAsync(HttpWorld.Password);
        page.Response += (_, r) => { if (r.Url.EndsWith("/masuk", StringComparison.Ordinal) && r.Request.Method == "POST") { signedIn = r; } };
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        Assert.EndsWith("/beranda", page.Url, StringComparison.Ordinal);
        string cookie = (await signedIn!.AllHeadersAsync())["set-cookie"];
        Assert.Contains("segel-session=sgs_", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        IResponse? mine = await page.GotoAsync("/saya");
        Dictionary<string, string> headers = await mine!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);

        // Thirty idle minutes end the session: the next page asks to sign in again, and comes back after.
        server.Time.Advance(TimeSpan.FromMinutes(31));
        await page.GotoAsync("/saya");
        Assert.Contains("/masuk?back=%2Fsaya&ended=true", page.Url, StringComparison.Ordinal);
        Assert.Contains("Sesi Anda berakhir", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.ShotAsync("session-ended");
        await page.GetByLabel("Nama pengguna").FillAsync("budi");
        await page.GetByLabel("Kata sandi").FillAsync(HttpWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        Assert.EndsWith("/saya", page.Url, StringComparison.Ordinal);

        // A form sent from elsewhere (no antiforgery token) changes nothing, and a page's role is checked before it runs.
        using HttpClient forged = server.Client();
        HttpResponseMessage post = await forged.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = "budi", ["Password"] = HttpWorld.Password }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        IResponse? audit = await page.GotoAsync("/audit");
        Assert.Equal(403, audit!.Status);
        Assert.Contains("Tidak diizinkan", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>An administrator account (administrators need an authenticator); returns its otpauth URI.</summary>
    internal static async Task<string> CreateAdminAsync(InProcessServer server)
    {
        using HttpClient operatorClient = server.Client(server.OperatorToken);
        HttpResponseMessage created = await operatorClient.PostAsJsonAsync("/api/v1/users",
            new { username = "admin.portal", displayName = "Admin Portal", roles = "admin", password = HttpWorld.Password });
        string body = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("totpUri").GetString()!;
    }
}
