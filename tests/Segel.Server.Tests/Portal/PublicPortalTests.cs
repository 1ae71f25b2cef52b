using Microsoft.Playwright;
using Segel.Core.Signing;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>A member of the public, in a real browser: the home page in both languages, the holders' guide, and a signed letter checked by its QR URL.</summary>
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
        await page.Locator("input[type=file]").SetInputFilesAsync(pdf);
        await page.GetByRole(AriaRole.Button, new() { Name = "Periksa" }).ClickAsync();
        string result = await page.Locator("body").InnerTextAsync();
        Assert.Contains("persis dokumen yang ditandatangani", result, StringComparison.Ordinal);
        Assert.Contains("SAH (VALID)", result, StringComparison.Ordinal);
        await browser.ShotAsync("qr-upload-result");
        await browser.AccessibleAsync();
    }
}
