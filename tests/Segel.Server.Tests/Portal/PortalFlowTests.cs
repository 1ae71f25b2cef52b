using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// Each role's main flow in a real browser, end to end: an agency head applies with the Pasal 14 documents, the
/// holder confirms from the e-mail, an RA officer reviews the documents in the page and approves, the holder signs a
/// PDF by placing the box on the page preview, and a member of the public checks it by its QR address. Every page
/// visited is checked with axe-core and kept as a screenshot.
/// </summary>
public sealed class PortalFlowTests
{
    [Fact]
    public async Task An_application_goes_from_agency_head_to_ra_officer_to_a_signed_letter_checked_by_the_public()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(An_application_goes_from_agency_head_to_ra_officer_to_a_signed_letter_checked_by_the_public));
        IPage page = browser.Page;

        // The agency head finds Budi among the staff and applies for him.
        await SignInAsync(browser, "kepala.kominfo");
        Assert.Contains("Dinas Komunikasi dan Informatika", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.ShotAsync("agency-head-dashboard");
        await page.GetByRole(AriaRole.Link, new() { Name = "Pegawai", Exact = true }).ClickAsync();
        await browser.AccessibleAsync();
        await browser.ShotAsync("agency-head-staff");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ajukan sertifikat Budi Santoso" }).ClickAsync();
        Assert.Equal("Permohonan sertifikat baru", await page.Locator("h1").InnerTextAsync());
        await page.GetByLabel("Surel kontak perangkat daerah").FillAsync(world.KominfoDesk);
        // Before sending, the page says what is still missing.
        Assert.Contains("KTP", await page.Locator("[data-missing-box]").InnerTextAsync(), StringComparison.Ordinal);
        foreach ((string label, string file) in new[] { ("Surat permohonan", "permohonan.pdf"), ("Surat rekomendasi pimpinan", "rekomendasi.pdf"),
            ("Formulir pendaftaran", "formulir.pdf"), ("SK pengangkatan / jabatan", "sk.pdf") })
        {
            await page.GetByLabel(label, new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = file, MimeType = "application/pdf", Buffer = SamplePdf.Letter(label) });
        }
        await page.GetByLabel("KTP", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "ktp.png", MimeType = "image/png", Buffer = TestImages.Png(320, 200, false) });
        Assert.True(await page.Locator("[data-missing-box]").IsHiddenAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("agency-head-apply");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan permohonan" }).ClickAsync();
        // The form is sent by portal.js (so a refusal keeps the chosen files); the next page follows once it is saved.
        await Browser.ArriveAsync(page, url => Regex.IsMatch(url, @"/permohonan/\d+$"));
        long id = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        string unmet = string.Join("\n", await page.Locator(".checklist .unmet").AllInnerTextsAsync());
        Assert.Contains("Pemilik mengonfirmasi surel dinas", unmet, StringComparison.Ordinal);
        Assert.DoesNotContain("KTP", unmet, StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Kirim ke Otoritas Pendaftaran" }).IsDisabledAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("agency-head-application-waiting-for-holder");

        // Budi confirms from the e-mail: reads the agreement, chooses his passphrase.
        MimeMessage mail = await TestSmtp.NextAsync(world.BudiEmail, m => (m.Subject ?? "").Contains("Konfirmasi", StringComparison.Ordinal), world.SeenMail);
        string link = Regex.Match(mail.TextBody ?? "", @"https?://\S+/confirm/\d+\?code=[A-Z0-9]{8}").Value;
        await page.GotoAsync(link);
        await page.GetByLabel("Saya telah membaca").CheckAsync();
        await page.GetByLabel("Passphrase untuk kunci Anda").FillAsync(HttpWorld.HolderPassphrase);
        await page.GetByLabel("Ulangi passphrase baru").FillAsync(HttpWorld.HolderPassphrase);
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-confirms");
        await page.GetByRole(AriaRole.Button, new() { Name = "Konfirmasi dan setujui" }).ClickAsync();
        Assert.Contains("Terima kasih", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

        // Now complete: the agency head sends it to the RA.
        await page.GotoAsync($"/permohonan/{id}");
        Assert.Equal(0, await page.Locator(".checklist .unmet").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim ke Otoritas Pendaftaran" }).ClickAsync();
        Assert.Contains("Permohonan dikirim ke Otoritas Pendaftaran", await Browser.StatusAsync(page), StringComparison.Ordinal);
        await SignOutAsync(page);

        // The RA officer works the queue: documents shown in the page, the decision signed with his own passphrase.
        await SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GetByRole(AriaRole.Link, new() { Name = "Buka antrian" }).ClickAsync();
        await browser.AccessibleAsync();
        await browser.ShotAsync("ra-queue");
        await page.GetByRole(AriaRole.Link, new() { Name = $"#{id}" }).ClickAsync();
        await page.Locator(".pdfpreview.rendered canvas").First.WaitForAsync();
        Assert.True(await page.Locator("img[alt^='KTP']").EvaluateAsync<bool>("i => i.complete && i.naturalWidth === 320"));
        await browser.AccessibleAsync();
        await browser.ShotAsync("ra-application-review");
        await page.GetByLabel("Passphrase Anda").First.FillAsync("bukan passphrase saya");
        await page.GetByRole(AriaRole.Button, new() { Name = "Setujui dan terbitkan sertifikat" }).ClickAsync();
        Assert.Contains("passphrase", (await page.Locator(".error").AllInnerTextsAsync()).Aggregate("", string.Concat), StringComparison.OrdinalIgnoreCase);
        await browser.ShotAsync("ra-wrong-passphrase");
        await page.GetByLabel("Passphrase Anda").First.FillAsync(HttpWorld.OfficerPassphrase);
        await page.GetByRole(AriaRole.Button, new() { Name = "Setujui dan terbitkan sertifikat" }).ClickAsync();
        Assert.Contains("sertifikat diterbitkan", await Browser.StatusAsync(page), StringComparison.Ordinal);
        await browser.ShotAsync("ra-approved");
        await SignOutAsync(page);

        // Budi signs a letter: uploads it, drags the box to the lower left, enters his passphrase, downloads.
        await SignInAsync(browser, "budi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sertifikat saya" }).First.ClickAsync();
        Assert.Contains("Berlaku", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-my-certificate");
        await page.GetByRole(AriaRole.Link, new() { Name = "Tanda tangani PDF" }).First.ClickAsync();
        await page.GetByLabel("Berkas PDF").SetInputFilesAsync(new FilePayload { Name = "nota-dinas.pdf", MimeType = "application/pdf", Buffer = SamplePdf.Letter("Nota Dinas 005/77/DISKOMINFO") });
        ILocator box = page.Locator("[data-sigbox]");
        await box.WaitForAsync(); // shown only once placed on the drawn page
        await page.Locator("[data-canvas]").EvaluateAsync("c => new Promise(r => setTimeout(r, 300))");
        await box.ScrollIntoViewIfNeededAsync();
        LocatorBoundingBoxResult from = (await box.BoundingBoxAsync())!;
        LocatorBoundingBoxResult sheet = (await page.Locator("[data-sheet]").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + from.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(sheet.X + from.Width / 2 + 5, sheet.Y + sheet.Height - from.Height / 2 - 5, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await browser.ShotAsync("holder-places-signature");
        double x = double.Parse(await page.GetByLabel("Jarak dari kiri (pt)").InputValueAsync(), System.Globalization.CultureInfo.InvariantCulture);
        double y = double.Parse(await page.GetByLabel("Jarak dari bawah (pt)").InputValueAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(x, 0, 40);
        Assert.InRange(y, 0, 40);
        // The keyboard moves it too: up by 10 points.
        await box.FocusAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        Assert.Equal(Math.Round(y) + 10, double.Parse(await page.GetByLabel("Jarak dari bawah (pt)").InputValueAsync(), System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Passphrase Anda").FillAsync(HttpWorld.HolderPassphrase);
        await browser.AccessibleAsync();
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Tanda tangani dan unduh" }).ClickAsync());
        string signed = server.Directory.File("nota-dinas-ditandatangani.pdf");
        await download.SaveAsAsync(signed);
        Assert.Equal("nota-dinas-ditandatangani.pdf", download.SuggestedFilename);
        Poppler.Accepts(signed, await Poppler.NssTrustingSegelAsync(server));

        // Files that are not PDFs: a workbook and a scan, signed together as one ASiC-E container, read by unzip and openssl.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tanda tangani berkas" }).First.ClickAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "anggaran.xlsx", MimeType = "application/octet-stream", Buffer = System.Security.Cryptography.RandomNumberGenerator.GetBytes(40_000) },
            new FilePayload { Name = "pindaian.jpg", MimeType = "image/jpeg", Buffer = System.Security.Cryptography.RandomNumberGenerator.GetBytes(20_000) },
        });
        await page.GetByLabel("Passphrase Anda").FillAsync(HttpWorld.HolderPassphrase);
        await page.GetByLabel("Tambahkan cap waktu arsip (B-LTA)").CheckAsync();
        await browser.AccessibleAsync();
        IDownload container = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Tanda tangani dan unduh" }).ClickAsync());
        Assert.Equal("anggaran-ditandatangani.asice", container.SuggestedFilename);
        string asice = server.Directory.File("anggaran-ditandatangani.asice");
        await container.SaveAsAsync(asice);
        Assert.Contains("No errors detected", Tool.Run("unzip", "-t", asice).Check().Output, StringComparison.Ordinal);
        string unpacked = server.Directory.File("anggaran-unpacked");
        Tool.Run("unzip", "-o", "-q", asice, "-d", unpacked).Check();
        using (HttpClient anonymous = server.Client())
        {
            await File.WriteAllTextAsync(server.Directory.File("portal-chain.pem"), await anonymous.GetStringAsync("/ca/chain.pem"));
        }
        Assert.Contains("Verification successful", Tool.OpenSsl("cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(unpacked, "META-INF", "signature001.p7s"),
            "-content", Path.Combine(unpacked, "META-INF", "ASiCManifest001.xml"), "-CAfile", server.Directory.File("portal-chain.pem"), "-purpose", "any", "-out", "/dev/null").Check().Output,
            StringComparison.Ordinal);
        // Asked for the archive time-stamp: openssl checks it over the archive manifest.
        Assert.Contains("Verification: OK", Tool.OpenSsl("ts", "-verify", "-data", Path.Combine(unpacked, "META-INF", "ASiCArchiveManifest.xml"),
            "-in", Path.Combine(unpacked, "META-INF", "timestamp001.tst"), "-token_in", "-CAfile", server.Directory.File("portal-chain.pem")).Check().Stdout, StringComparison.Ordinal);

        // A document encrypted in the portal, to a colleague found in the directory and to oneself, opened again with the passphrase.
        byte[] memo = System.Text.Encoding.UTF8.GetBytes("Nota rahasia: rapat anggaran dipindah ke Kamis.\n");
        await page.GetByRole(AriaRole.Link, new() { Name = "Enkripsi dokumen" }).First.ClickAsync();
        await page.GetByLabel("Cari penerima").FillAsync(world.Tag);
        await page.GetByRole(AriaRole.Button, new() { Name = "Cari" }).ClickAsync();
        ILocator found = page.Locator("[data-recipients] input[data-found]");
        Assert.True(await found.CountAsync() >= 1, await page.Locator("main").InnerTextAsync());
        for (int i = 0; i < await found.CountAsync(); i++)
        {
            await found.Nth(i).CheckAsync();
        }
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "nota-rahasia.txt", MimeType = "text/plain", Buffer = memo });
        await browser.AccessibleAsync();
        await browser.ShotAsync("holder-encrypts");
        IDownload sealedMemo = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Enkripsi dan unduh" }).ClickAsync());
        Assert.Equal("nota-rahasia.txt.p7m", sealedMemo.SuggestedFilename);
        string p7m = server.Directory.File("nota-rahasia.txt.p7m");
        await sealedMemo.SaveAsAsync(p7m);
        Assert.Contains("pkcs7-envelopedData", Tool.OpenSsl("cms", "-cmsout", "-print", "-inform", "DER", "-in", p7m).Check().Output, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Buka dokumen terenkripsi" }).First.ClickAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(p7m);
        await page.GetByLabel("Passphrase Anda").FillAsync(HttpWorld.HolderPassphrase);
        await browser.AccessibleAsync();
        IDownload openedMemo = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Buka dan unduh" }).ClickAsync());
        Assert.Equal("nota-rahasia.txt", openedMemo.SuggestedFilename);
        string openedPath = server.Directory.File("nota-rahasia-terbuka.txt");
        await openedMemo.SaveAsAsync(openedPath);
        Assert.Equal(memo, await File.ReadAllBytesAsync(openedPath));
        await SignOutAsync(page);

        // A member of the public follows the QR code and checks the file they received.
        string qr = server.Ca.Signing.VerificationUrl((await server.Ca.Signatures.ListAsync(null, null, null, null, null, Segel.Core.Kernel.Principal.Console)).Items.First(i => Segel.Core.Signing.RemoteSigning.IsPdfLevel(i.Level)).Id);
        await page.GotoAsync(qr);
        Assert.Contains("Budi Santoso", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#file").SetInputFilesAsync(signed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Periksa" }).ClickAsync();
        Assert.Contains("Budi Santoso", await page.Locator("[data-plain-verdict]").First.InnerTextAsync(), StringComparison.Ordinal);
        // The technical checks are folded under the plain verdict.
        await page.GetByText("Rincian teknis pemeriksaan").First.ClickAsync();
        Assert.Contains("SAH (VALID)", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("public-verifies-by-qr");
    }

    internal static async Task SignInAsync(Browser browser, string username, string? code = null, string language = "id")
    {
        IPage page = browser.Page;
        bool id = language == "id";
        await page.GotoAsync("/masuk");
        await page.GetByLabel(id ? "Nama pengguna" : "Username").FillAsync(username);
        await page.GetByLabel(id ? "Kata sandi" : "Password").FillAsync(HttpWorld.Password);
        if (code is not null)
        {
            await page.GetByLabel(id ? "Kode autentikator" : "Authenticator code").FillAsync(code);
        }
        await browser.AccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = id ? "Masuk" : "Sign in" }).ClickAsync();
        Assert.EndsWith("/beranda", page.Url, StringComparison.Ordinal);
        await browser.AccessibleAsync();
    }

    internal static async Task SignOutAsync(IPage page, string language = "id") =>
        await page.GetByRole(AriaRole.Button, new() { Name = language == "id" ? "Keluar" : "Sign out" }).ClickAsync();
}
