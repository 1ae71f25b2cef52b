using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;

namespace Segel.Server.Tests;

/// <summary>How the API treats mistakes: problem details in the caller's language, limits, no 500 for bad input.</summary>
public sealed class ApiBehaviourTests : IAsyncLifetime
{
    private InProcessServer _server = null!;
    private HttpWorld _world = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync("sqlite");
        _world = await HttpWorld.CreateAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<long> DraftAsync()
    {
        using HttpClient head = _world.As("agency-head");
        return (await HttpWorld.OkJsonAsync(await head.PostAsJsonAsync("/api/v1/enrollments",
            new { nip = HttpWorld.AndiNip, contactEmail = _world.KominfoDesk }))).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Problems_come_in_indonesian_by_default_and_in_english_on_request()
    {
        long id = await DraftAsync();
        foreach ((string language, string expected) in new[] { ("id", "belum lengkap"), ("en", "is not complete"), ("en-US,en;q=0.9,id;q=0.8", "is not complete"), ("fr", "belum lengkap") })
        {
            using HttpClient head = _world.As("agency-head", language);
            HttpResponseMessage response = await head.PostAsync($"/api/v1/enrollments/{id}/submission", null);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(422, problem.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task Uploads_are_sniffed_and_size_limited_and_bad_input_is_never_a_500()
    {
        long id = await DraftAsync();
        using HttpClient head = _world.As("agency-head", "en");

        // An executable called ktp.pdf, with a PDF content type, is not a PDF.
        var fake = new ByteArrayContent("MZ\x90\0 this is a program"u8.ToArray());
        fake.Headers.ContentType = new("application/pdf");
        fake.Headers.ContentDisposition = new("attachment") { FileName = "ktp.pdf" };
        HttpResponseMessage sniffed = await head.PutAsync($"/api/v1/enrollments/{id}/documents/id-card", fake);
        Assert.Equal(HttpStatusCode.BadRequest, sniffed.StatusCode);
        Assert.Equal("file", JsonDocument.Parse(await sniffed.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());

        // 11 MiB is over the 10 MiB limit: 413, with a message.
        // (Expect: 100-continue, so the refusal arrives before the client has sent the body, as a browser's would.)
        using var oversized = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/enrollments/{id}/documents/id-card") { Content = new ByteArrayContent(new byte[11 * 1024 * 1024]) };
        oversized.Headers.ExpectContinue = true;
        HttpResponseMessage large = await head.SendAsync(oversized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);

        // A 5 MiB scan is fine (above the server's general 1 MiB body limit).
        byte[] scan = new byte[5 * 1024 * 1024];
        "%PDF-1.7\n"u8.CopyTo(scan);
        Assert.Equal(HttpStatusCode.OK, (await head.PutAsync($"/api/v1/enrollments/{id}/documents/appointment-decree", new ByteArrayContent(scan))).StatusCode);

        // Unknown document kind, malformed JSON, bad ids: 4xx.
        Assert.Equal(HttpStatusCode.BadRequest, (await head.PutAsync($"/api/v1/enrollments/{id}/documents/passport", HttpWorld.Pdf("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await head.PostAsync("/api/v1/enrollments", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await head.GetAsync("/api/v1/enrollments/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await head.GetAsync("/api/v1/enrollments?limit=100000")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await head.GetAsync("/api/v1/enrollments?state=flying")).StatusCode);
    }

    [Fact]
    public async Task Reading_a_ktp_scan_or_a_nik_is_recorded_in_the_audit_trail()
    {
        long id = await DraftAsync();
        using (HttpClient head = _world.As("agency-head"))
        {
            await HttpWorld.OkJsonAsync(await head.PutAsync($"/api/v1/enrollments/{id}/documents/id-card", HttpWorld.Png()));
        }
        using HttpClient officer = _world.As("ra-officer");
        HttpResponseMessage scan = await officer.GetAsync($"/api/v1/enrollments/{id}/documents/id-card");
        Assert.Equal("image/png", scan.Content.Headers.ContentType?.MediaType);
        JsonElement employee = await HttpWorld.OkJsonAsync(await officer.GetAsync($"/api/v1/employees/{HttpWorld.BudiNip}?nik=true"));
        Assert.Equal(HttpWorld.BudiNik, employee.GetProperty("nik").GetString());

        await using SegelDbContext db = _server.Ca.Database.CreateContext();
        List<AuditRecord> reads = await db.AuditRecords.Where(a => a.Action == "personal-data.read" && a.Actor == "rahmat").ToListAsync();
        Assert.Contains(reads, r => r.Subject == $"enrollment:{id}" && r.Details!.Contains("id-card", StringComparison.Ordinal) && r.Origin == "127.0.0.1");
        Assert.Contains(reads, r => r.Subject == $"employee:{HttpWorld.BudiNip}" && r.Details!.Contains("\"nik\":true", StringComparison.Ordinal));
        // The NIK itself is never written to the audit record.
        Assert.DoesNotContain(await db.AuditRecords.Select(a => a.Details ?? "").ToListAsync(), d => d.Contains(HttpWorld.BudiNik, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_in_refuses_a_wrong_password_and_asks_officers_for_their_code()
    {
        using HttpClient client = _server.Client("en");
        HttpResponseMessage wrong = await client.PostAsJsonAsync("/api/v1/sessions", new { username = "budi", password = "salah-sekali-123" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        HttpResponseMessage noCode = await client.PostAsJsonAsync("/api/v1/sessions", new { username = "rahmat", password = HttpWorld.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, noCode.StatusCode);
        Assert.Contains("TOTP", await noCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Signing out ends the session at once.
        string token = await _server.SignInAsync("budi", HttpWorld.Password);
        using HttpClient budi = _server.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await budi.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await budi.DeleteAsync("/api/v1/sessions/current")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await budi.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_from_one_address_are_rate_limited()
    {
        await using InProcessServer limited = await InProcessServer.StartAsync("sqlite", o => o["Limits:SignInPerMinute"] = "3");
        using HttpClient client = limited.Client("en");
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/sessions", new { username = "siapa", password = "apa-saja-1234" })).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task The_link_in_the_confirmation_mail_opens_a_page_where_the_holder_accepts_the_agreement()
    {
        long id = await DraftAsync();
        string code = await Segel.Testing.LifecycleWorld.On(_server.Ca).CodeSentToAsync($"andi.{_world.Tag}@tanahbumbukab.go.id");
        using HttpClient browser = _server.Client();
        HttpResponseMessage page = await browser.GetAsync($"/confirm/{id}?code={code}");
        string html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("PERJANJIAN PEMILIK SERTIFIKAT ELEKTRONIK", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{code}\"", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        // A form post needs the page's antiforgery token (and its cookie, which this client keeps).
        string token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);

        FormUrlEncodedContent Form(string passphrase, string repeat, bool accept) => new(new Dictionary<string, string>
        {
            ["Code"] = code, ["Version"] = "1", ["Passphrase"] = passphrase, ["Repeat"] = repeat, ["Accept"] = accept ? "true" : "false",
            ["__RequestVerificationToken"] = token,
        });
        HttpResponseMessage notAccepted = await browser.PostAsync($"/confirm/{id}", Form(HttpWorld.HolderPassphrase, HttpWorld.HolderPassphrase, accept: false));
        Assert.Equal(HttpStatusCode.BadRequest, notAccepted.StatusCode);
        HttpResponseMessage differ = await browser.PostAsync($"/confirm/{id}", Form(HttpWorld.HolderPassphrase, "lain sekali 12345", accept: true));
        Assert.Contains("tidak sama", await differ.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage weak = await browser.PostAsync($"/confirm/{id}", Form("pendek", "pendek", accept: true));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("Passphrase paling sedikit 10 karakter", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage done = await browser.PostAsync($"/confirm/{id}", Form(HttpWorld.HolderPassphrase, HttpWorld.HolderPassphrase, accept: true));
        Assert.Contains("Terima kasih", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using HttpClient head = _world.As("agency-head");
        JsonElement detail = await HttpWorld.OkJsonAsync(await head.GetAsync($"/api/v1/enrollments/{id}"));
        Assert.True(detail.GetProperty("holderConfirmed").GetBoolean());
        Assert.Equal(1, detail.GetProperty("agreementVersion").GetInt32());
    }

    [Fact]
    public async Task A_report_is_read_as_json_csv_a_workbook_or_a_draft_pdf_and_a_period_that_is_none_is_a_problem()
    {
        using HttpClient auditor = _world.As("auditor");
        JsonElement json = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/reports?period=2026-H2");
        Assert.Equal("2026-H2", json.GetProperty("period").GetProperty("name").GetString());
        Assert.True(json.GetProperty("auditIntact").GetBoolean());
        using HttpResponseMessage csv = await auditor.GetAsync("/api/v1/reports?period=2026&agency=DISKOMINFO&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("report,agency,DISKOMINFO", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using HttpResponseMessage xlsx = await auditor.GetAsync("/api/v1/reports?period=2026&format=xlsx");
        Assert.Equal(Segel.Core.Supervision.ReportXlsx.ContentType, xlsx.Content.Headers.ContentType!.MediaType);
        using HttpResponseMessage pdf = await auditor.GetAsync("/api/v1/reports?period=2026&format=pdf&language=en");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        using var folder = new Segel.Testing.TempDirectory();
        string draft = Segel.Testing.Tool.Run("pdftotext", folder.Write("draft.pdf", await pdf.Content.ReadAsByteArrayAsync()), "-").Check().Stdout;
        Assert.Contains("DRAFT - NOT SIGNED", draft, StringComparison.Ordinal);
        // Only a signer with their own custody key signs; the auditor has none (and signs as nobody else).
        using HttpResponseMessage unsigned = await auditor.PostAsJsonAsync("/api/v1/reports/signed", new { period = "2026", passphrase = HttpWorld.HolderPassphrase });
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal("application/problem+json", unsigned.Content.Headers.ContentType!.MediaType);
        foreach (string query in new[] { "period=kemarin", "period=2026&format=docx", "period=2026&agency=TIDAKADA", "period=2000-01-01..2026-01-01" })
        {
            using HttpResponseMessage bad = await auditor.GetAsync("/api/v1/reports?" + query);
            Assert.True(bad.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{query}: {bad.StatusCode}");
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task A_complaint_is_filed_without_an_account_followed_by_its_code_and_answered_by_the_ra()
    {
        using HttpClient anyone = _world.As("anonymous");
        using HttpResponseMessage bad = await anyone.PostAsJsonAsync("/api/v1/complaints", new { topic = "cuaca", text = "Hujan terus sepanjang hari ini." });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        JsonElement filed = await HttpWorld.OkJsonAsync(await anyone.PostAsJsonAsync("/api/v1/complaints",
            new { topic = "certificate", reference = "00AB", text = "Sertifikat saya tercatat dicabut padahal tidak pernah saya minta." }));
        string number = filed.GetProperty("number").GetString()!, code = filed.GetProperty("trackingCode").GetString()!;
        using HttpResponseMessage wrong = await anyone.PostAsJsonAsync($"/api/v1/complaints/{number}/tracking", new { code = "salah" });
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        using HttpResponseMessage listed = await anyone.GetAsync("/api/v1/complaints");
        Assert.Equal(HttpStatusCode.Unauthorized, listed.StatusCode);

        using HttpClient officer = _world.As("ra-officer");
        await HttpWorld.OkJsonAsync(await officer.PostAsJsonAsync($"/api/v1/complaints/{number}/answers", new { text = "Sudah kami periksa: sertifikat Anda masih berlaku.", close = true }));
        using HttpResponseMessage again = await officer.PostAsJsonAsync($"/api/v1/complaints/{number}/answers", new { text = "Jawaban kedua setelah ditutup.", close = false });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using HttpResponseMessage notAboutAnOfficer = await officer.PostAsync($"/api/v1/complaints/{number}/forwarding", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notAboutAnOfficer.StatusCode);
        JsonElement tracked = await HttpWorld.OkJsonAsync(await anyone.PostAsJsonAsync($"/api/v1/complaints/{number}/tracking", new { code }));
        Assert.Equal("closed", tracked.GetProperty("state").GetString());
        Assert.Equal(1, tracked.GetProperty("answers").GetArrayLength());
    }
}
