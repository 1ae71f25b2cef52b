using System.Net.Http.Json;
using Microsoft.Playwright;
using Segel.Testing;

namespace Segel.Server.Tests.Portal;

/// <summary>
/// Defects found walking every role through the portal (issue 19), each shown in the browser: the CA status page's
/// sentences and rows, and the revocation forms that showed a serial without a name, offered to revoke what cannot
/// be revoked and hid the signed letter from the RA officer deciding.
/// </summary>
public sealed class PortalRepairsTests
{
    [Fact]
    public async Task The_ca_status_names_the_certificate_it_probed_and_lists_the_root_once_in_both_languages()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string adminTotp = await PortalRolesTests.CreateAdminAsync(server);
        await world.BudiHoldsCertificateAsync();
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(The_ca_status_names_the_certificate_it_probed_and_lists_the_root_once_in_both_languages));
        IPage page = browser.Page;

        await PortalFlowTests.SignInAsync(browser, "admin.portal", server.NextTotp(adminTotp));
        foreach ((string language, string root, string answers) in new[] { ("id", "CA akar", "OCSP menjawab: baik (good) untuk "), ("en", "Root CA", "OCSP answers: good for ") })
        {
            await page.GotoAsync($"/bahasa?to={language}&back=/admin/ca");
            string probe = await page.Locator("[data-ocsp-probe]").InnerTextAsync();
            Assert.StartsWith(answers, probe, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"(untuk|for) ,", probe);
            Assert.Matches(@"(untuk|for) \S", probe);
            Assert.Equal(1, await page.Locator("tbody tr td:first-child", new() { HasTextString = root }).CountAsync());
            await browser.AccessibleAsync();
            await browser.ShotAsync($"ca-status-{language}");
        }
    }

    [Fact]
    public async Task Revocation_forms_name_the_holder_refuse_what_cannot_be_revoked_and_show_the_officer_the_letter()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string budi = await world.BudiHoldsCertificateAsync();
        string andi = await world.ApproveAsync(await world.ApplyAsync("agency-head", "new", world.KominfoDesk, nip: HttpWorld.AndiNip,
            holderEmail: $"andi.{world.Tag}@tanahbumbukab.go.id"));
        HttpResponseMessage revoked = await world.As("ra-officer").PostAsJsonAsync("/api/v1/revocation-requests",
            new { serial = andi, reason = "privilegeWithdrawn", statement = "Sanksi disiplin", passphrase = HttpWorld.OfficerPassphrase });
        Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Revocation_forms_name_the_holder_refuse_what_cannot_be_revoked_and_show_the_officer_the_letter));
        IPage page = browser.Page;

        // The staff list offers revocation only for a certificate that can still be revoked.
        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        await page.GotoAsync("/pegawai?q=Andi");
        Assert.Contains("Andi Pratama", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Minta pencabutan Andi Pratama" }).CountAsync());
        // Asked for anyway (an old link), the form says why not and offers nothing to send.
        await page.GotoAsync($"/pencabutan/baru?serial={andi}");
        Assert.Contains("Andi Pratama", await page.Locator("[data-revocation-target]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("sudah dicabut", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Kirim permohonan" }).CountAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("revoked-certificate-refused");

        // Budi's request form says whose certificate it is before anything is sent.
        await page.GotoAsync("/pegawai?q=Budi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Minta pencabutan Budi Santoso" }).ClickAsync();
        string target = await page.Locator("[data-revocation-target]").InnerTextAsync();
        Assert.Contains("Budi Santoso", target, StringComparison.Ordinal);
        Assert.Contains(HttpWorld.BudiNip, target, StringComparison.Ordinal);
        await page.GetByLabel("Pindah tugas atau jabatan (Pasal 17 ayat (1) huruf a)").CheckAsync();
        await page.GetByLabel("Surat permohonan pencabutan yang ditandatangani pimpinan").SetInputFilesAsync(
            new FilePayload { Name = "surat-mutasi.pdf", MimeType = "application/pdf", Buffer = SamplePdf.Letter("Permohonan pencabutan: mutasi") });
        await page.GetByLabel("Surel kontak perangkat daerah").FillAsync(world.KominfoDesk);
        await browser.AccessibleAsync();
        await browser.ShotAsync("request-names-the-holder");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim permohonan" }).ClickAsync();
        string request = page.Url;
        await PortalFlowTests.SignOutAsync(page);

        // The RA officer deciding sees the signed letter the form required, in the page and on its own.
        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GotoAsync(request);
        ILocator letter = page.Locator("[data-letter]");
        Assert.Equal("surat-mutasi.pdf", await letter.InnerTextAsync());
        await page.Locator(".pdfpreview.rendered canvas").First.WaitForAsync();
        string href = await letter.GetAttributeAsync("href") ?? "";
        IAPIResponse file = await page.APIRequest.GetAsync(href);
        Assert.Equal(200, file.Status);
        Assert.Equal("application/pdf", file.Headers["content-type"]);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await file.BodyAsync(), 0, 4), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("officer-sees-letter");
        // Nobody signed out sees it.
        await PortalFlowTests.SignOutAsync(page);
        Assert.NotEqual(200, (await page.APIRequest.GetAsync(href, new() { MaxRedirects = 0 })).Status);
    }

    [Fact]
    public async Task A_sent_back_application_marks_the_document_the_officer_named_and_names_its_state_exactly()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        long id = await world.ApplyAsync("agency-head", "new", world.KominfoDesk);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(A_sent_back_application_marks_the_document_the_officer_named_and_names_its_state_exactly));
        IPage page = browser.Page;

        // The officer sends it back because the KTP scan cannot be read, and says which document that is.
        await PortalFlowTests.SignInAsync(browser, "rahmat", server.NextTotp(world.OfficerTotpUri!));
        await page.GotoAsync($"/permohonan/{id}");
        await page.GetByLabel("Alasan pengembalian").FillAsync("Scan KTP tidak terbaca; mohon unggah ulang.");
        await page.GetByRole(AriaRole.Group, new() { Name = "Dokumen yang harus diganti (jika ada)" }).GetByLabel("KTP", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Passphrase Anda").Nth(1).FillAsync(HttpWorld.OfficerPassphrase);
        await browser.AccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Kembalikan dengan alasan" }).ClickAsync();
        Assert.Equal("Dikembalikan untuk diperbaiki", await page.Locator(".facts .status").InnerTextAsync());
        Assert.DoesNotContain("ditolak", await page.Locator("main").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await PortalFlowTests.SignOutAsync(page);
        // The e-mail to the agency names the document to replace, in words.
        MimeKit.MimeMessage sentBack = await TestSmtp.NextAsync(world.KominfoDesk, m => (m.Subject ?? "").Contains("dikembalikan", StringComparison.Ordinal), world.SeenMail);
        Assert.Contains("Dokumen yang harus diganti: KTP.", sentBack.TextBody, StringComparison.Ordinal);

        // The agency head sees exactly that item marked, the others still met, and cannot send it again until it is replaced.
        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        // The dashboard says so beside the e-mail, with the way to it.
        Assert.Contains($"Permohonan #{id} untuk Budi Santoso dikembalikan", await page.Locator("[data-notices]").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("[data-notices]").GetByRole(AriaRole.Link, new() { Name = "Lihat alasannya dan perbaiki" }).ClickAsync();
        Assert.EndsWith($"/permohonan/{id}", page.Url, StringComparison.Ordinal);
        ILocator returned = page.Locator(".checklist li:has([data-returned])");
        Assert.Equal(1, await returned.CountAsync());
        Assert.Contains("KTP", await returned.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("dikembalikan", await returned.InnerTextAsync(), StringComparison.Ordinal);
        IReadOnlyList<string> unmet = await page.Locator(".checklist .unmet").AllInnerTextsAsync();
        Assert.Contains("KTP", Assert.Single(unmet), StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Kirim ke Otoritas Pendaftaran" }).IsDisabledAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("returned-item-marked");
        await page.GetByLabel("Jenis dokumen").SelectOptionAsync("id-card");
        await page.GetByLabel("Berkas", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "ktp-jelas.png", MimeType = "image/png", Buffer = TestImages.Png(400, 250, false) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Lampirkan" }).ClickAsync();
        Assert.Equal(0, await page.Locator(".checklist .unmet").CountAsync());
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Kirim ke Otoritas Pendaftaran" }).IsDisabledAsync());
        await browser.ShotAsync("returned-item-replaced");

        // In English the state is named as exactly.
        await page.GotoAsync($"/bahasa?to=en&back=/permohonan/{id}");
        Assert.Equal("Sent back for correction", await page.Locator(".facts .status").InnerTextAsync());
        await browser.AccessibleAsync();
    }

    [Fact]
    public async Task A_refused_application_form_keeps_the_chosen_files_and_speaks_the_readers_language()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.ApplyAsync("agency-head", "new", world.KominfoDesk);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(A_refused_application_form_keeps_the_chosen_files_and_speaks_the_readers_language));
        IPage page = browser.Page;

        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        await page.GotoAsync($"/permohonan/baru?nip={HttpWorld.AndiNip}");
        // The contact address is the one the agency gave last time, and the form says it is required.
        ILocator contact = page.GetByLabel("Surel kontak perangkat daerah");
        Assert.Equal(world.KominfoDesk, await contact.InputValueAsync());
        Assert.Contains("wajib diisi", await page.Locator("label[for=ContactEmail]").InnerTextAsync(), StringComparison.Ordinal);
        // A note that is not a PDF, a good KTP scan, and no contact address.
        await page.GetByLabel("Surat permohonan", new() { Exact = true }).SetInputFilesAsync(
            new FilePayload { Name = "catatan.txt", MimeType = "text/plain", Buffer = System.Text.Encoding.UTF8.GetBytes("bukan surat") });
        await page.GetByLabel("KTP", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "ktp.png", MimeType = "image/png", Buffer = TestImages.Png(320, 200, false) });
        await contact.FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan permohonan" }).ClickAsync();
        ILocator error = page.Locator("[data-valmsg-for=ContactEmail]");
        await error.WaitForAsync();
        Assert.Equal("Alamat surel wajib diisi.", await error.InnerTextAsync());
        Assert.EndsWith("/permohonan/baru?nip=" + HttpWorld.AndiNip, page.Url, StringComparison.Ordinal);
        // Both chosen files are still there, and say so.
        Assert.Equal(1, await page.EvalOnSelectorAsync<int>("#file-request-letter", "e => e.files.length"));
        Assert.Equal(1, await page.EvalOnSelectorAsync<int>("#file-id-card", "e => e.files.length"));
        Assert.Contains("ktp.png", await page.Locator("[data-slot=id-card] .drop-state").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("refused-form-keeps-files");

        // With the address given, it is saved; the note is refused in Bahasa Indonesia alone, the scan kept.
        await contact.FillAsync(world.KominfoDesk);
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan permohonan" }).ClickAsync();
        await Browser.ArriveAsync(page, url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/permohonan/\d+$"));
        string refused = await page.Locator("[role=alert]").InnerTextAsync();
        Assert.Contains("surat permohonan bukan PDF", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("request-letter", refused, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\b(The|This|is not)\b", refused);
        Assert.Contains("ktp.png", await page.Locator(".review-docs").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("saved-with-refused-note");
    }

    [Fact]
    public async Task Signing_keeps_the_document_and_the_box_after_a_wrong_passphrase_and_says_where_to_check_the_result()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Signing_keeps_the_document_and_the_box_after_a_wrong_passphrase_and_says_where_to_check_the_result));
        IPage page = browser.Page;

        await PortalFlowTests.SignInAsync(browser, "budi");
        await page.GotoAsync("/tandatangan");
        await page.GetByLabel("Berkas PDF").SetInputFilesAsync(new FilePayload { Name = "undangan.pdf", MimeType = "application/pdf", Buffer = SamplePdf.Letter("Undangan rapat") });
        ILocator box = page.Locator("[data-sigbox]");
        await box.WaitForAsync(); // shown only once placed on the drawn page
        await box.FocusAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await page.Keyboard.PressAsync("Shift+ArrowLeft");
        ILocator x = page.GetByLabel("Jarak dari kiri (pt)"), y = page.GetByLabel("Jarak dari bawah (pt)");
        string placedX = await x.InputValueAsync(), placedY = await y.InputValueAsync();
        Assert.Equal("82", placedY);

        // A wrong passphrase: the message, and the document and the box where they were; nothing still "signing".
        await page.GetByLabel("Passphrase Anda").FillAsync("bukan passphrase saya");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tanda tangani dan unduh" }).ClickAsync();
        ILocator error = page.Locator("[data-valmsg-for=Passphrase]");
        await Assertions.Expect(error).Not.ToBeEmptyAsync();
        Assert.Contains("passphrase", (await error.InnerTextAsync()).ToLowerInvariant(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-busy]")).ToBeHiddenAsync();
        Assert.Equal(1, await page.EvalOnSelectorAsync<int>("[data-pdf-input]", "e => e.files.length"));
        Assert.True(await page.Locator("[data-preview]").IsVisibleAsync());
        Assert.Equal((placedX, placedY), (await x.InputValueAsync(), await y.InputValueAsync()));
        Assert.Equal("", await page.GetByLabel("Passphrase Anda").InputValueAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("wrong-passphrase-keeps-document");

        // The right one: the download, the old error gone, and where the public can check the letter.
        await page.GetByLabel("Passphrase Anda").FillAsync(HttpWorld.HolderPassphrase);
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Tanda tangani dan unduh" }).ClickAsync());
        Assert.Equal("undangan-ditandatangani.pdf", download.SuggestedFilename);
        string signed = server.Directory.File("undangan-ditandatangani.pdf");
        await download.SaveAsAsync(signed);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(signed), 0, 4), StringComparison.Ordinal);
        ILocator done = page.Locator("[data-signed]");
        await Assertions.Expect(done).ToBeVisibleAsync();
        Assert.Contains("sudah ditandatangani", await done.InnerTextAsync(), StringComparison.Ordinal);
        string verify = await done.Locator("[data-signed-verify]").GetAttributeAsync("href") ?? "";
        Assert.Matches(@"/verify/[0-9a-f]{32}$", verify);
        Assert.Equal("", await error.InnerTextAsync());
        await Assertions.Expect(page.Locator("[data-busy]")).ToBeHiddenAsync();
        await browser.AccessibleAsync();
        await browser.ShotAsync("signed-with-verification-link");
        // The link is the letter's public page.
        await page.GotoAsync(verify);
        Assert.Contains("Budi Santoso", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_search_finds_people_however_typed_and_filters_by_status_and_work_unit()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Staff_search_finds_people_however_typed_and_filters_by_status_and_work_unit));
        IPage page = browser.Page;
        async Task<string> Rows() => string.Join("\n", await page.Locator("tbody tr td:first-child").AllInnerTextsAsync());

        await PortalFlowTests.SignInAsync(browser, "kepala.kominfo");
        await page.GotoAsync("/pegawai");
        await page.GetByLabel("Cari nama, NIP atau surel").FillAsync("budi");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cari" }).ClickAsync();
        Assert.Equal("Budi Santoso", await Rows());
        await page.GetByLabel("Cari nama, NIP atau surel").FillAsync("WULANDARI sari");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cari" }).ClickAsync();
        Assert.Equal("Sari Wulandari", await Rows());

        // By certificate status: Budi holds one, Andi none.
        await page.GetByLabel("Cari nama, NIP atau surel").FillAsync("");
        await page.GetByLabel("Status sertifikat").SelectOptionAsync("valid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cari" }).ClickAsync();
        Assert.Contains("Budi Santoso", await Rows(), StringComparison.Ordinal);
        Assert.DoesNotContain("Andi Pratama", await Rows(), StringComparison.Ordinal);
        await page.GetByLabel("Status sertifikat").SelectOptionAsync("none");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cari" }).ClickAsync();
        Assert.Contains("Andi Pratama", await Rows(), StringComparison.Ordinal);
        Assert.DoesNotContain("Budi Santoso", await Rows(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("staff-without-certificate");

        // By work unit: the cryptography unit's two officers.
        await page.GetByLabel("Status sertifikat").SelectOptionAsync("");
        await page.GetByLabel("Unit kerja").SelectOptionAsync(new SelectOptionValue { Label = "Bidang Persandian" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Cari" }).ClickAsync();
        Assert.Equal("Rahmat Hidayat\nSari Wulandari", await Rows());
        await browser.AccessibleAsync();
        await browser.ShotAsync("staff-by-work-unit");

        // A page past the end is the last page (here the only one), not an empty "page 28 of 1".
        await page.GotoAsync("/pegawai?hal=28");
        Assert.Contains("Budi Santoso", await Rows(), StringComparison.Ordinal);

        // In English too.
        await page.GotoAsync("/bahasa?to=en&back=/pegawai");
        await page.GetByLabel("Certificate status").SelectOptionAsync("none");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        Assert.Contains("Andi Pratama", await Rows(), StringComparison.Ordinal);
        Assert.Equal("No certificate", await page.Locator("#status option:checked").InnerTextAsync());
        await browser.AccessibleAsync();
    }

    [Fact]
    public async Task The_audit_trail_speaks_the_readers_language_searches_what_it_shows_and_exports_a_date_range()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(The_audit_trail_speaks_the_readers_language_searches_what_it_shows_and_exports_a_date_range));
        IPage page = browser.Page;
        async Task<IReadOnlyList<string>> Actions() => await page.Locator("table.audit tbody tr td:nth-child(4)").AllInnerTextsAsync();

        await PortalFlowTests.SignInAsync(browser, "auditor");
        await page.GotoAsync("/audit");
        IReadOnlyList<string> shown = await Actions();
        Assert.Contains("Masuk ke portal", shown);
        Assert.DoesNotContain(shown, a => System.Text.RegularExpressions.Regex.IsMatch(a, @"^[a-z-]+\.[a-z.-]+$"));
        Assert.DoesNotContain("{\"", await page.Locator("table.audit tbody").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("audit-in-indonesian");

        // Searching the words shown finds the entries that show them.
        await page.GetByLabel("Cari (tindakan, pelaku, subjek, rincian)").FillAsync("disetujui");
        await page.GetByRole(AriaRole.Button, new() { Name = "Saring" }).ClickAsync();
        shown = await Actions();
        Assert.NotEmpty(shown);
        Assert.All(shown, a => Assert.Equal("Permohonan disetujui", a));

        // Each entry names the request that wrote it, as the server's log does; searching for that id finds its entries.
        string request = (await page.Locator("table.audit tbody span.detail span.mono").First.InnerTextAsync()).Trim();
        Assert.NotEmpty(request);
        await page.GetByLabel("Cari (tindakan, pelaku, subjek, rincian)").FillAsync(request);
        await page.GetByRole(AriaRole.Button, new() { Name = "Saring" }).ClickAsync();
        IReadOnlyList<string> rows = await page.Locator("table.audit tbody tr").AllInnerTextsAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains("Permintaan: " + request, row, StringComparison.Ordinal));

        // A date range in the regency's time (WITA) by the server's clock (an hour behind the wall clock, which crosses midnight
        // first): nothing recorded tomorrow; a range that ends before it starts is refused in words.
        string tomorrow = server.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string today = server.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync($"/audit?dari={tomorrow}");
        Assert.Empty(await Actions());
        await page.GotoAsync($"/audit?dari={tomorrow}&sampai={today}");
        Assert.Contains("Akhir rentang tanggal sebelum awalnya", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);

        // A page past the end is the last page.
        await page.GotoAsync("/audit?hal=999");
        Assert.NotEmpty(await Actions());
        if (await page.Locator("nav.pager span").CountAsync() > 0)
        {
            Assert.Matches(@"Halaman (\d+) dari \1$", await page.Locator("nav.pager span").InnerTextAsync());
        }

        // The CSV of today's approvals, named in the reader's language.
        await page.GotoAsync($"/audit?q=disetujui&dari={today}&sampai={today}");
        string csvLink = await page.GetByRole(AriaRole.Link, new() { Name = "Unduh CSV" }).GetAttributeAsync("href") ?? "";
        IAPIResponse csv = await page.APIRequest.GetAsync("/audit" + csvLink);
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        string[] lines = (await csv.TextAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,time,actor,origin,action,action_name,subject,details", lines[0]);
        Assert.True(lines.Length > 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(",enrollment.approved,Permohonan disetujui,", l, StringComparison.Ordinal));

        // In English, the same search in English words.
        await page.GotoAsync("/bahasa?to=en&back=/audit");
        await page.GetByLabel("Search (action, actor, subject, details)").FillAsync("approved");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        shown = await Actions();
        Assert.NotEmpty(shown);
        Assert.All(shown, a => Assert.Equal("Application approved", a));
        await browser.AccessibleAsync();
        await browser.ShotAsync("audit-in-english");
    }
}
