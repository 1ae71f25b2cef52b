using Microsoft.Playwright;
using Segel.Core.Signing;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>A member of the public, in a real browser: the home page in both languages, the holders' guide, a signed letter checked by its QR URL, and a complaint about it from filing to closure.</summary>
public sealed class PublicPortalTests
{
    [Fact]
    public async Task A_member_of_the_public_checks_a_signed_letter_by_its_qr_url()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        using HttpClient app = await server.SigningApplicationAsync("esurat");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(SamplePdf.Letter("Surat Undangan 005/12/DISKOMINFO")), "file", "undangan.pdf" },
            { new StringContent(HttpWorld.BudiNik), "nik" },
            { new StringContent(HttpWorld.HolderPassphrase), "passphrase" },
            { new StringContent("visible"), "tampilan" },
        };
        HttpResponseMessage signed = await app.PostAsync("/api/sign/pdf", form);
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        string qrUrl = signed.Headers.GetValues("X-Segel-Verification-Url").Single();
        string pdf = server.Directory.Write("undangan-signed.pdf", await signed.Content.ReadAsByteArrayAsync());

        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(A_member_of_the_public_checks_a_signed_letter_by_its_qr_url));
        IPage page = browser.Page;

        IResponse? home = await page.GotoAsync("/");
        Assert.True(home is { Ok: true }, $"{home?.Status}: {await page.ContentAsync()}");
        Assert.Equal("Sertifikat elektronik pemerintah daerah", await page.Locator("h1").InnerTextAsync());
        await browser.ShotAsync("beranda");
        await browser.AccessibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Baca panduan" }).ClickAsync();
        Assert.Contains("Pasal 15", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        Assert.Equal("Guide for certificate holders", await page.Locator("h1").InnerTextAsync());
        await browser.ShotAsync("guide-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "Bahasa Indonesia" }).ClickAsync();
        Assert.Equal("Panduan pemilik sertifikat", await page.Locator("h1").InnerTextAsync());

        // The QR code on the letter opens this page: who signed, and that the certificate stands.
        await page.GotoAsync(qrUrl);
        string facts = await page.Locator("body").InnerTextAsync();
        Assert.Contains("Budi Santoso", facts, StringComparison.Ordinal);
        Assert.Contains("masih berlaku", facts, StringComparison.Ordinal);
        await browser.ShotAsync("qr-page");
        await browser.AccessibleAsync();

        // The reader uploads the PDF they received: it is the very document, and valid.
        await page.Locator("#file").SetInputFilesAsync(pdf);
        await page.GetByRole(AriaRole.Button, new() { Name = "Periksa" }).ClickAsync();
        string result = await page.Locator("body").InnerTextAsync();
        Assert.Contains("persis dokumen yang ditandatangani", result, StringComparison.Ordinal);
        Assert.Contains("Budi Santoso", await page.Locator("[data-plain-verdict]").First.InnerTextAsync(), StringComparison.Ordinal);
        // What happened after signing, in words (the letter is B-LT: its validation data came in a later revision).
        Assert.Equal("validation-data", await page.Locator("p.changes").First.GetAttributeAsync("data-changes"));
        Assert.Contains("hanya data validasi yang ditambahkan", await page.Locator("p.changes").First.InnerTextAsync(), StringComparison.Ordinal);
        // The technical checks are folded under the plain verdict.
        await page.GetByText("Rincian teknis pemeriksaan").First.ClickAsync();
        Assert.Contains("SAH (VALID)", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await browser.ShotAsync("qr-upload-result");
        await browser.AccessibleAsync();

        // Still in doubt, the reader complains about this signature from its page (Pasal 16(2)e), the signature named.
        await page.GotoAsync(qrUrl);
        await page.GetByRole(AriaRole.Link, new() { Name = "Laporkan masalah dengan tanda tangan ini" }).ClickAsync();
        Assert.Equal("signature", await page.Locator("#topic").InputValueAsync());
        Assert.Equal(qrUrl.Split('/')[^1], await page.Locator("#reference").InputValueAsync());
        await browser.AccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim pengaduan" }).ClickAsync();
        Assert.Contains("Uraikan pengaduan", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Uraian pengaduan").FillAsync("Nama penanda tangan berbeda dengan yang tertulis di kop surat.");
        await page.GetByLabel("Surel (tidak wajib)").FillAsync("warga@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim pengaduan" }).ClickAsync();
        string number = await page.Locator("#complaint-number").InnerTextAsync();
        string code = await page.Locator("#tracking-code").InnerTextAsync();
        Assert.Matches("^PGD-[0-9]{6}$", number);
        await browser.ShotAsync("complaint-filed");
        await browser.AccessibleAsync();
        // Reloading files nothing twice and shows the code no more.
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("#tracking-code").CountAsync());

        // An RA officer answers it and closes it.
        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GotoAsync("/pengaduan/daftar");
        await browser.AccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        Assert.Contains("warga@example.org", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await page.GetByLabel("Jawaban", new() { Exact = true }).FillAsync("Penanda tangan adalah pelaksana tugas kepala dinas; sertifikatnya sah.");
        await page.GetByLabel("Tutup pengaduan dengan jawaban ini").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim jawaban" }).ClickAsync();
        Assert.Contains("Pengaduan telah ditutup.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Kirim jawaban" }).CountAsync());
        await browser.ShotAsync("complaint-closed");
        await PortalFlowTests.SignOutAsync(page, "id");

        // The reader follows it with the number and code and reads the answer.
        await page.GotoAsync("/pengaduan/lacak");
        await page.GetByLabel("Nomor pengaduan").FillAsync(number);
        await page.GetByLabel("Kode pelacakan").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lacak pengaduan" }).ClickAsync();
        Assert.Equal("Selesai", await page.Locator("#complaint-state").InnerTextAsync());
        Assert.Contains("pelaksana tugas kepala dinas", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("warga@example.org", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.ShotAsync("complaint-tracked");
        await browser.AccessibleAsync();
    }
}
