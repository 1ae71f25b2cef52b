using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Segel.Server.Tests.Portal;

/// <summary>Every page of the portal, as each role that may open it, in both languages: it answers, and axe-core finds no serious or critical violation.</summary>
public sealed class PortalPagesTests
{
    [Fact]
    public async Task Every_page_for_every_role_is_accessible_in_both_languages()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        string adminTotp = await PortalRolesTests.CreateAdminAsync(server);
        long application = await world.ApplyAsync("agency-head", "new", world.KominfoDesk);
        string serial = await world.ApproveAsync(application);
        // An integrity alarm (an employee renamed in the database, then refused a certificate): administrators and
        // auditors see its banner above every page, which must be as accessible as the page; nobody else sees it.
        await using (Segel.Core.Storage.SegelDbContext db = server.Ca.Database.CreateContext())
        {
            await db.Employees.Where(e => e.Nip == HttpWorld.SitiNip).ExecuteUpdateAsync(s => s.SetProperty(e => e.Name, "Orang Lain"));
        }
        await Assert.ThrowsAsync<Segel.Core.Errors.SegelException>(() => server.Ca.Certificates.IssueFromCsrAsync(Segel.Core.Kernel.Principal.Console,
            System.Text.Encoding.ASCII.GetString(Segel.Testing.Csr.Create()), null, new Segel.Core.Ca.HolderDetails(Nip: HttpWorld.SitiNip),
            "Uji alarm integritas", "cli"));
        // A half-year's reports stored, so the reports page lists them (the job does this the day after a period ends).
        Assert.True(await server.Ca.ScheduledReports.GenerateAsync(Segel.Core.Supervision.ReportPeriod.Parse("2026-H1"), Segel.Core.Kernel.Principal.System));
        await server.Ca.Findings.AddAsync(new Segel.Core.Supervision.NewFinding("2026-H1", "DISKOMINFO", "Cakupan sertifikat masih di bawah target.",
            "Pendaftaran massal di setiap bidang.", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30))), new Segel.Core.Kernel.Principal("auditor", Segel.Core.Kernel.Role.Auditor), null);
        await using Browser browser = await Browser.OpenAsync(server.Url, nameof(Every_page_for_every_role_is_accessible_in_both_languages));
        IPage page = browser.Page;

        string[] everyone = ["/", "/panduan", "/verify", "/masuk", "/pengaduan", "/pengaduan/lacak"];
        var byRole = new (string User, Func<string?> Code, string[] Pages)[]
        {
            ("kepala.kominfo", () => null, ["/beranda", "/pegawai", "/permohonan", $"/permohonan/{application}", "/pencabutan",
                $"/permohonan/baru?nip={HttpWorld.AndiNip}", $"/pencabutan/baru?serial={serial}", "/akun", "/laporan", "/segel-instansi"]),
            ("rahmat", () => server.NextTotp(world.OfficerTotpUri!), ["/beranda", "/pegawai", "/permohonan?state=submitted", $"/permohonan/{application}",
                "/pencabutan", "/pencabutan/baru", "/saya", "/tandatangan", "/berkas", "/pengaduan/daftar", "/pemulihan-kunci", "/segel-instansi"]),
            ("budi", () => null, ["/beranda", "/saya", "/tandatangan", "/berkas", "/akun", "/audit", "/direktori", "/direktori?q=rahmat", "/direktori?q=tidak-ada-orang-ini", "/enkripsi", "/enkripsi?q=rahmat", "/dekripsi"]),
            ("auditor", () => null, ["/beranda", "/audit", "/admin/ca", "/admin/pengguna", "/admin/perjanjian", "/admin/pengaturan", "/admin/instansi",
                "/admin/instansi/DISKOMINFO", "/pegawai", "/permohonan", "/laporan", "/pengaduan/daftar", "/laporan?handler=Download&Period=kemarin"]),
            // The administrator sees the same pages with their forms.
            ("admin.portal", () => server.NextTotp(adminTotp), ["/beranda", "/laporan", "/admin/impor", "/admin/pengguna", "/admin/pengguna/rahmat", "/admin/instansi", "/admin/instansi/DISKOMINFO",
                "/admin/pengaturan", "/admin/perjanjian", "/admin/aplikasi", "/akun"]),
        };
        foreach (string language in new[] { "id", "en" })
        {
            await page.GotoAsync($"/bahasa?to={language}&back=/");
            foreach (string path in everyone)
            {
                await VisitAsync(browser, path, language);
            }
            foreach ((string user, Func<string?> code, string[] pages) in byRole)
            {
                await PortalFlowTests.SignInAsync(browser, user, code(), language);
                foreach (string path in pages)
                {
                    await VisitAsync(browser, path, language);
                    if (path == "/beranda" && user is "auditor" or "admin.portal" or "kepala.kominfo")
                    {
                        // This year's figures as charts, each an image with its figures as a text alternative.
                        ILocator charts = page.Locator("figure.chart svg[role=img]");
                        Assert.Equal(2, await charts.CountAsync());
                        Assert.Contains(user == "kepala.kominfo" ? ": " : "DISKOMINFO", await charts.First.Locator("desc").TextContentAsync() ?? "", StringComparison.Ordinal);
                    }
                    ILocator banner = page.Locator("main > .alarm");
                    if (user is "auditor" or "admin.portal")
                    {
                        Assert.Contains(HttpWorld.SitiNip, await banner.InnerTextAsync(), StringComparison.Ordinal);
                        Assert.Contains(language == "id" ? "pegawai" : "employee", await banner.InnerTextAsync(), StringComparison.Ordinal);
                    }
                    else
                    {
                        Assert.Equal(0, await banner.CountAsync());
                    }
                }
                await PortalFlowTests.SignOutAsync(page, language);
            }
        }
    }

    private static async Task VisitAsync(Browser browser, string path, string language)
    {
        IResponse? response = await browser.Page.GotoAsync(path);
        // A holder opening the audit trail is refused, on a page of its own.
        int expected = path == "/audit" && browser.Page.Url.EndsWith("/terlarang", StringComparison.Ordinal) ? 403 : path.Contains("=kemarin", StringComparison.Ordinal) ? 400 : 200;
        Assert.True(response?.Status == expected, $"{path}: {response?.Status}");
        Assert.Equal(language, await browser.Page.Locator("html").GetAttributeAsync("lang"));
        await browser.AccessibleAsync();
        await browser.ShotAsync($"{language}-{path.Trim('/').Replace('/', '-').Split('?')[0]}");
    }
}
