using Microsoft.Playwright;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// The decisions that are not a straight approval, in a real browser: an RA officer unlocks a holder's key and sends
/// an application back; the agency head fixes it and submits again, later asks for a revocation with the signed letter,
/// which the RA approves; a holder reports a lost key and it is revoked at once.
/// </summary>
public sealed class PortalDecisionsTests
{
    [Fact]
    public async Task Unlock_send_back_resubmit_revoke_on_request_and_report_a_lost_key()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        long andi = await world.ApplyAsync("agency-head", "new", world.KominfoDesk, nip: HttpWorld.AndiNip, holderEmail: $"andi.{world.Tag}@tanahbumbukab.go.id");
        await LockBudisKeyAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Unlock_send_back_resubmit_revoke_on_request_and_report_a_lost_key));
        IPage page = browser.Page;
        // Irreversible steps ask "are you sure?"; the person in this test is.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        // The RA officer unlocks Budi's key after checking it is him, and sends Andi's application back.
        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GotoAsync("/pegawai?q=Budi");
        Assert.Contains("Kunci terkunci", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buka kunci Budi Santoso" }).ClickAsync();
        Assert.Contains("Kunci pemilik dibuka kembali", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Contains("Sertifikat berlaku", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("ra-unlocked-key");
        await page.GotoAsync($"/permohonan/{andi}");
        await page.GetByLabel("Alasan pengembalian").FillAsync("Scan KTP buram; mohon unggah ulang.");
        await page.GetByLabel("Passphrase Anda").Nth(1).FillAsync(HttpWorld.OfficerPassphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kembalikan dengan alasan" }).ClickAsync();
        Assert.Contains("Dikembalikan", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.ShotAsync("ra-sent-back");
        await PortalFlowTests.SignOutAsync(page);

        // The agency head sees why, replaces the scan and submits again.
        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        Assert.Contains("1 dikembalikan RA", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync($"/permohonan/{andi}");
        Assert.Contains("Scan KTP buram", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Jenis dokumen").SelectOptionAsync("id-card");
        await page.GetByLabel("Berkas", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "ktp-jelas.png", MimeType = "image/png", Buffer = TestImages.Png(400, 250, false) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Lampirkan" }).ClickAsync();
        Assert.Contains("Dokumen dilampirkan", await Browser.StatusAsync(page), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("agency-head-fixes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim ke Otoritas Pendaftaran" }).ClickAsync();
        Assert.Contains("Permohonan dikirim", await Browser.StatusAsync(page), StringComparison.Ordinal);
        await PortalFlowTests.SignOutAsync(page);
        await world.ApproveAsync(andi);

        // Andi retires: the agency head asks for revocation with the signed letter; the RA approves it.
        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        await page.GotoAsync("/pegawai?q=Andi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Minta pencabutan Andi Pratama" }).ClickAsync();
        await page.GetByLabel("Pensiun (Pasal 17 ayat (1) huruf b)").CheckAsync();
        await page.GetByLabel("Surat permohonan pencabutan yang ditandatangani pimpinan").SetInputFilesAsync(
            new FilePayload { Name = "surat.pdf", MimeType = "application/pdf", Buffer = SamplePdf.Letter("Permohonan pencabutan: pensiun") });
        await page.GetByLabel("Surel kontak perangkat daerah").FillAsync(world.KominfoDesk);
        await browser.AccessibleAsync();
        await browser.ShotAsync("agency-head-requests-revocation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim permohonan" }).ClickAsync();
        Assert.Contains("Menunggu keputusan", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        string request = page.Url;
        await PortalFlowTests.SignOutAsync(page);
        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GetByRole(AriaRole.Link, new() { Name = "Pencabutan" }).First.ClickAsync();
        await browser.AccessibleAsync();
        await page.GotoAsync(request);
        await page.GetByLabel("Passphrase Anda").First.FillAsync(HttpWorld.OfficerPassphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Setujui pencabutan" }).ClickAsync();
        Assert.Contains("Sertifikat dicabut", await Browser.StatusAsync(page), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("ra-revoked-on-request");
        await PortalFlowTests.SignOutAsync(page);

        // Budi's laptop is stolen: he revokes his certificate himself, at once.
        await PortalFlowTests.SignInAsync(browser, "budi");
        await page.GotoAsync("/saya");
        // Pasal 19(d)'s four grounds are offered; the key went with the laptop.
        await page.GetByLabel("Kunci privat atau passphrase hilang").CheckAsync();
        await page.GetByLabel("Apa yang terjadi (boleh kosong)").FillAsync("Laptop dinas dicuri.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cabut sekarang" }).ClickAsync();
        Assert.Contains("telah dicabut", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Contains("Dicabut", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-reported-lost-key");
        Assert.Equal("REVOKE", await world.StatusAsync());
        await PortalFlowTests.SignOutAsync(page);

        // The RA reviews the revocation that took effect at once (Pasal 19d), signing that it did.
        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GotoAsync("/pencabutan?state=effective");
        await page.Locator("table a").First.ClickAsync();
        Assert.Contains("Laptop dinas dicuri.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("key-lost", await page.Locator("[data-ground]").GetAttributeAsync("data-ground"));
        Assert.Contains("(keyCompromise)", await page.Locator("[data-ground]").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Passphrase Anda").FillAsync(HttpWorld.OfficerPassphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Catat sudah ditinjau" }).ClickAsync();
        Assert.Contains("Tinjauan dicatat", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Contains("Ditinjau — rahmat", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("ra-reviewed-lost-key");
    }

    /// <summary>Five wrong passphrases through the national API lock the key (status SUSPEND).</summary>
    private static async Task LockBudisKeyAsync(InProcessServer server)
    {
        using HttpClient app = await server.SigningApplicationAsync("esurat");
        for (int i = 0; i < 5; i++)
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(SamplePdf.Letter()), "file", "surat.pdf" },
                { new StringContent(HttpWorld.BudiNik), "nik" },
                { new StringContent($"bukan passphrase {i}"), "passphrase" },
            };
            await app.PostAsync("/api/sign/pdf", form);
        }
    }
}
