using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// People's changes in a real browser: the personnel file moves Budi to another agency, and his former agency's head finds
/// the revocation proposal Segel opened, attaches the signed letter and sends it on (issue 20.3); a holder who forgot the
/// passphrase applies for re-issuance with the superior's statement, confirms from the e-mail and sends it (issue 20.5).
/// </summary>
public sealed class PortalPersonnelTests
{
    [Fact]
    public async Task The_former_head_sends_on_the_proposal_a_transfer_opened()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        using (HttpClient admin = world.As("admin"))
        {
            JsonElement imported = await HttpWorld.OkJsonAsync(await admin.PostAsync("/api/v1/employees/import?accounts=false",
                new StringContent(world.Csv("DINKES", "Dinas Kesehatan"), System.Text.Encoding.UTF8, "text/csv")));
            Assert.Equal(1, imported.GetProperty("revocationsProposed").GetInt32());
        }
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(The_former_head_sends_on_the_proposal_a_transfer_opened));
        IPage page = browser.Page;

        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        await page.GotoAsync("/pencabutan?state=proposed");
        Assert.Contains("Pindah tugas atau jabatan", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("table a").First.ClickAsync();
        Assert.Contains("Usulan dari data kepegawaian", await page.Locator("[data-proposal]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("transfer", await page.Locator("[data-ground]").GetAttributeAsync("data-ground"));
        await browser.AccessibleAsync();
        await browser.ShotAsync("head-finds-proposal");
        // Sending without the letter is refused on the form, in Bahasa Indonesia, and nothing is lost.
        await page.GetByLabel("Surel kontak perangkat daerah").FillAsync(world.KominfoDesk);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim ke Otoritas Pendaftaran" }).ClickAsync();
        Assert.Contains("Lampirkan surat permohonan", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Surat permohonan pencabutan yang ditandatangani pimpinan").SetInputFilesAsync(
            new FilePayload { Name = "surat-mutasi.pdf", MimeType = "application/pdf", Buffer = SamplePdf.Letter("Permohonan pencabutan: mutasi ke Dinas Kesehatan") });
        await page.GetByLabel("Surel kontak perangkat daerah").FillAsync(world.KominfoDesk);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim ke Otoritas Pendaftaran" }).ClickAsync();
        Assert.Contains("Usulan dikirim ke Otoritas Pendaftaran", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Contains("Menunggu keputusan", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("surat-mutasi.pdf", await page.Locator("[data-letter]").InnerTextAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("head-sent-proposal");
        Assert.Equal("ISSUE", await world.StatusAsync()); // the RA has not decided yet
    }

    [Fact]
    public async Task A_holder_who_forgot_the_passphrase_applies_for_reissue_from_their_page()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string old = await world.BudiHoldsCertificateAsync();
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(A_holder_who_forgot_the_passphrase_applies_for_reissue_from_their_page));
        IPage page = browser.Page;

        await PortalFlowTests.SignInAsync(browser, "budi");
        await page.GotoAsync("/saya");
        // Without the statement the page says what is missing, in Bahasa Indonesia.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajukan penerbitan ulang" }).ClickAsync();
        Assert.Contains("Lampirkan surat pernyataan", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Surat pernyataan atasan langsung (PDF, JPEG atau PNG)").SetInputFilesAsync(
            new FilePayload { Name = "pernyataan-atasan.pdf", MimeType = "application/pdf", Buffer = SamplePdf.Letter("Pernyataan atasan: passphrase Budi terlupa") });
        await browser.AccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajukan penerbitan ulang" }).ClickAsync();
        Assert.Contains("Permohonan penerbitan ulang dibuat", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Equal("draft", await page.Locator("[data-reissue]").GetAttributeAsync("data-reissue"));
        await browser.ShotAsync("holder-reissue-started");

        // He confirms from the e-mail with a new passphrase, then sends it himself.
        MimeMessage mail = await TestSmtp.NextAsync(world.BudiEmail, m => (m.Subject ?? "").Contains("Konfirmasi", StringComparison.Ordinal), world.SeenMail);
        await page.GotoAsync(Regex.Match(mail.TextBody ?? "", @"https?://\S+/confirm/\d+\?code=[A-Z0-9]{8}").Value);
        await page.GetByLabel("Saya telah membaca").CheckAsync();
        await page.GetByLabel("Passphrase untuk kunci Anda").FillAsync("passphrase baru yang kali ini diingat");
        await page.GetByLabel("Ulangi passphrase baru").FillAsync("passphrase baru yang kali ini diingat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Konfirmasi dan setujui" }).ClickAsync();
        await page.GotoAsync("/saya");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim ke Otoritas Pendaftaran" }).ClickAsync();
        Assert.Contains("Permohonan penerbitan ulang dikirim", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Equal("submitted", await page.Locator("[data-reissue]").GetAttributeAsync("data-reissue"));
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-reissue-sent");

        // The RA approves it as any application; the old certificate goes.
        using HttpClient officer = world.As("ra-officer");
        JsonElement queue = await HttpWorld.OkJsonAsync(await officer.GetAsync("/api/v1/enrollments?state=submitted"));
        long id = queue.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "reissue").GetProperty("id").GetInt64();
        string renewed = await world.ApproveAsync(id);
        Assert.NotEqual(old, renewed);
        Assert.Equal("revoked", (await HttpWorld.OkJsonAsync(await officer.GetAsync($"/api/v1/certificates/{old}"))).GetProperty("status").GetString());
    }
}
