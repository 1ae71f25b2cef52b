using System.Text.Json;
using Microsoft.Playwright;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// A personnel change in a real browser (issue 20.3): the file moves Budi to another agency; his former agency's head finds
/// the revocation proposal Segel opened, attaches the signed letter and sends it on; the RA sees it waiting for a decision.
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
        Assert.Contains("Usulan dikirim ke Otoritas Pendaftaran", await page.Locator("[role=status]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Menunggu keputusan", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("surat-mutasi.pdf", await page.Locator("[data-letter]").InnerTextAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("head-sent-proposal");
        Assert.Equal("ISSUE", await world.StatusAsync()); // the RA has not decided yet
    }
}
