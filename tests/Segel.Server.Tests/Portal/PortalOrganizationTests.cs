using Microsoft.Playwright;

namespace Segel.Server.Tests.Portal;

/// <summary>An administrator keeps agencies, work units and the registration settings in the portal; others only read them.</summary>
public sealed class PortalOrganizationTests
{
    [Fact]
    public async Task Administrator_keeps_agencies_work_units_and_settings_and_the_auditor_reads_them()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        await HttpWorld.CreateAsync(server);
        string adminTotp = await PortalRolesTests.CreateAdminAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Administrator_keeps_agencies_work_units_and_settings_and_the_auditor_reads_them));
        IPage page = browser.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await PortalFlowTests.SignInAsync(browser, "admin.portal", server.NextTotp(adminTotp));

        // A new agency: a malformed code is refused beside its field, in Bahasa Indonesia, and nothing is added.
        await page.GetByRole(AriaRole.Link, new() { Name = "Perangkat daerah" }).First.ClickAsync();
        await page.GetByLabel("Kode perangkat daerah").FillAsync("B P B D");
        await page.GetByLabel("Nama perangkat daerah").FillAsync("Badan Penanggulangan Bencana Daerah");
        IResponse? refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Tambah perangkat daerah" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        Assert.Contains("Kode perangkat daerah terdiri atas 2–32 huruf", await page.Locator("#Code ~ .error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Badan Penanggulangan Bencana Daerah", await page.GetByLabel("Nama perangkat daerah").InputValueAsync());
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-agency-refused");
        await page.GetByLabel("Kode perangkat daerah").FillAsync("bpbd");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tambah perangkat daerah" }).ClickAsync();
        Assert.Contains("Perangkat daerah ditambahkan.", await Browser.StatusAsync(page), StringComparison.Ordinal);

        // Its work units: add two, a third differing only in case is refused, rename one, remove the other.
        await page.GetByRole(AriaRole.Link, new() { Name = "BPBD" }).ClickAsync();
        Assert.Equal("Badan Penanggulangan Bencana Daerah", await page.Locator("h1").InnerTextAsync());
        foreach (string unit in new[] { "Bidang Kedaruratan", "Sekretariat", "sekretariat" })
        {
            await page.GetByLabel("Nama unit kerja", new() { Exact = true }).Last.FillAsync(unit);
            await page.GetByRole(AriaRole.Button, new() { Name = "Tambah unit kerja" }).ClickAsync();
        }
        Assert.Contains("BPBD sudah memiliki unit kerja sekretariat.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("tbody input[value='Bidang Kedaruratan']").FillAsync("Bidang Kedaruratan dan Logistik");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ganti nama Bidang Kedaruratan" }).ClickAsync();
        Assert.Contains("Nama unit kerja disimpan.", await Browser.StatusAsync(page), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Hapus Sekretariat" }).ClickAsync();
        Assert.Contains("Unit kerja dihapus.", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Equal(["Bidang Kedaruratan dan Logistik"], (await server.Ca.Agencies.WorkUnitsAsync("BPBD", Segel.Core.Kernel.Principal.Console)).Select(u => u.Name));
        await browser.AccessibleAsync();
        await browser.ShotAsync("admin-agency-work-units");

        // Settings: a word where a number belongs is refused beside the field; then saved, and in force at once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Pengaturan" }).First.ClickAsync();
        await page.GetByLabel("Domain surel resmi (Pasal 14 huruf f)").FillAsync("tanahbumbukab.go.id, bpbd.tanahbumbukab.go.id");
        await page.GetByLabel("Hari pengingat perpanjangan sebelum masa berlaku habis (Pasal 18)").FillAsync("60, 30, tujuh");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan pengaturan" }).ClickAsync();
        Assert.Contains("tujuh bukan jumlah hari antara 1 dan 365.", await page.Locator("#ReminderDays ~ .error").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await page.GetByLabel("Hari pengingat perpanjangan sebelum masa berlaku habis (Pasal 18)").FillAsync("60, 30, 7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan pengaturan" }).ClickAsync();
        Assert.Contains("Pengaturan disimpan", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Contains("diubah oleh admin.portal", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        var settings = await server.Ca.RegencySettings.GetAsync();
        Assert.Equal([60, 30, 7], settings.ReminderDays);
        Assert.Equal(["tanahbumbukab.go.id", "bpbd.tanahbumbukab.go.id"], settings.EmailDomains);
        await browser.ShotAsync("admin-settings-saved");
        // The national CA's address, to which complaints about RA officers are forwarded: a word is refused, an address kept.
        await page.Locator("#NationalCaEmail").FillAsync("bukan alamat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan alamat CA nasional" }).ClickAsync();
        Assert.Contains("bukan alamat surel", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#NationalCaEmail").FillAsync("pengaduan@bsre.example.go.id");
        await page.GetByRole(AriaRole.Button, new() { Name = "Simpan alamat CA nasional" }).ClickAsync();
        Assert.Contains("Alamat CA nasional telah disimpan.", await Browser.StatusAsync(page), StringComparison.Ordinal);
        Assert.Equal("pengaduan@bsre.example.go.id", (await server.Ca.RegencySettings.GetAsync()).NationalCaEmail);
        await PortalFlowTests.SignOutAsync(page);

        // The auditor sees the same, without a form to change it, in English too.
        await PortalFlowTests.SignInAsync(browser, "auditor");
        await page.GotoAsync("/admin/pengaturan");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Simpan pengaturan" }).CountAsync());
        Assert.Contains("60, 30, 7", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync("/admin/instansi/BPBD");
        Assert.Equal(0, await page.Locator("main form").CountAsync());
        Assert.Contains("Bidang Kedaruratan dan Logistik", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        Assert.Contains("Work units", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
        await browser.ShotAsync("auditor-agency-english");
        IResponse? missing = await page.GotoAsync("/admin/instansi/TIDAKADA");
        Assert.Equal(404, missing?.Status);
        Assert.Contains("No agency TIDAKADA.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_import_tells_how_far_it_is_while_the_administrator_waits()
    {
        // No mail server: the 6,000 invitations wait in the outbox instead of flooding the other tests' mail sink.
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", o => o["Smtp:Host"] = null);
        string adminTotp = await PortalRolesTests.CreateAdminAsync(server);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(A_large_import_tells_how_far_it_is_while_the_administrator_waits));
        IPage page = browser.Page;
        await PortalFlowTests.SignInAsync(browser, "admin.portal", server.NextTotp(adminTotp));
        await page.GotoAsync("/admin/impor");

        const int Rows = 6000;
        var csv = new System.Text.StringBuilder("nip,nik,name,position,agency_code,agency_name,work_unit,email\n");
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        for (int i = 0; i < Rows; i++)
        {
            int y = 1970 + i % 30, m = 1 + i % 12, d = 1 + i % 28;
            csv.Append(invariant, $"{y:0000}{m:00}{d:00}{y + 25:0000}{m:00}{1 + i % 2}{i % 1000:000},631001{d + 40 * (i % 2):00}{m:00}{y % 100:00}{i + 1:0000},");
            csv.Append(invariant, $"Pegawai {i},Staf,DINAS{i % 20},Dinas {i % 20},Bidang {i % 5},pegawai{i}@tanahbumbukab.go.id\n");
        }
        await page.GetByLabel("Berkas CSV pegawai").SetInputFilesAsync(new FilePayload { Name = "pegawai.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.GetByLabel("Periksa saja, jangan simpan").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Proses berkas" }).ClickAsync();
        // While the server checks and then saves the rows, the bar follows them (the server's own count, asked every 300 ms).
        await page.Locator("[data-progress-text]", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"(Memeriksa|Menyimpan) baris [0-9]+ dari {Rows}") }).WaitForAsync();
        Assert.Equal(Rows.ToString(invariant), await page.Locator("#upload-progress").GetAttributeAsync("max"));
        await browser.ShotAsync("admin-import-progress");
        ILocator result = page.Locator("[data-import-result]");
        await result.WaitForAsync(new() { Timeout = 120_000 });
        Assert.Contains(string.Format(invariant, "Baru: {0} ·", Rows), await result.InnerTextAsync(), StringComparison.Ordinal);
        // Each of them got an account, closed until they open it through the link mailed to them (issue 20.1).
        Assert.Contains(string.Format(invariant, "Akun: {0} dibuat dan diundang lewat surel", Rows), await page.Locator("[data-import-accounts]").InnerTextAsync(), StringComparison.Ordinal);
        await browser.AccessibleAsync();
    }
}
