using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MimeKit;
using Segel.Core.Kernel;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// A regency set up through the API the way an administrator would: employees imported from CSV, accounts
/// for every role, and the first RA officer certified at the console. E-mail addresses are unique per test,
/// because every test shares one SMTP sink.
/// </summary>
public sealed class HttpWorld
{
    public const string Password = "sandi-yang-cukup-panjang";
    public const string OfficerPassphrase = "kunci rahasia petugas RA";
    public const string HolderPassphrase = "passphrase pemilik 2026";
    public const string BudiNip = "198507152010011003";
    public const string BudiNik = "6310011507850001";
    public const string SitiNip = "199001012015032001";
    public const string OfficerNip = "198203102006041002";
    public const string SecondOfficerNip = "198811242012122005";
    public const string AndiNip = "199003152015031007";

    private HttpWorld(InProcessServer server, string tag)
    {
        Server = server;
        Tag = tag;
    }

    public InProcessServer Server { get; }

    public string Tag { get; }

    public HashSet<string> SeenMail { get; } = [];

    public string BudiEmail => $"budi.{Tag}@tanahbumbukab.go.id";

    public string RahmatEmail => $"rahmat.{Tag}@tanahbumbukab.go.id";

    public string SariEmail => $"sari.{Tag}@tanahbumbukab.go.id";

    public string KominfoDesk => $"sekretariat.kominfo.{Tag}@tanahbumbukab.go.id";

    public string DinkesDesk => $"sekretariat.dinkes.{Tag}@tanahbumbukab.go.id";

    public Dictionary<string, string> Tokens { get; } = [];

    public string? OfficerTotpUri { get; private set; }

    public string? SecondOfficerTotpUri { get; private set; }

    public static async Task<HttpWorld> CreateAsync(InProcessServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var world = new HttpWorld(server, Guid.NewGuid().ToString("N")[..8]);
        using HttpClient admin = server.Client(server.OperatorToken);
        HttpResponseMessage import = await admin.PostAsync("/api/v1/employees/import?accounts=false", new StringContent(world.Csv("DISKOMINFO", "Dinas Komunikasi dan Informatika"), Encoding.UTF8, "text/csv"));
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());

        await AddUserAsync(admin, "kepala.kominfo", "agency-head", agency: "DISKOMINFO");
        await AddUserAsync(admin, "kepala.dinkes", "agency-head", agency: "DINKES");
        world.OfficerTotpUri = await AddUserAsync(admin, "rahmat", "ra-officer", employee: OfficerNip);
        world.SecondOfficerTotpUri = await AddUserAsync(admin, "sari", "ra-officer", employee: SecondOfficerNip);
        await AddUserAsync(admin, "budi", "subscriber", employee: BudiNip);
        await AddUserAsync(admin, "auditor", "auditor");
        string? policyTotp = await AddUserAsync(admin, "kkse", "policy-admin");
        // The first officers are certified at the console; nobody could approve their applications yet.
        await server.Ca.Officers.CertifyAsync("rahmat", OfficerPassphrase, Principal.Console);
        await server.Ca.Officers.CertifyAsync("sari", OfficerPassphrase, Principal.Console);

        world.Tokens["agency-head"] = await server.SignInAsync("kepala.kominfo", Password);
        world.Tokens["other-agency-head"] = await server.SignInAsync("kepala.dinkes", Password);
        world.Tokens["subscriber"] = await server.SignInAsync("budi", Password);
        world.Tokens["auditor"] = await server.SignInAsync("auditor", Password);
        world.Tokens["policy-admin"] = await server.SignInAsync("kkse", Password, policyTotp);
        world.Tokens["ra-officer"] = await server.SignInAsync("rahmat", Password, world.OfficerTotpUri);
        world.Tokens["second-officer"] = await server.SignInAsync("sari", Password, world.SecondOfficerTotpUri);
        world.Tokens["admin"] = server.OperatorToken;
        return world;
    }

    /// <summary>Signs everyone in again (after the clock moved past the session's idle limit).</summary>
    public async Task RefreshSessionsAsync()
    {
        Tokens["agency-head"] = await Server.SignInAsync("kepala.kominfo", Password);
        Tokens["other-agency-head"] = await Server.SignInAsync("kepala.dinkes", Password);
        Tokens["ra-officer"] = await Server.SignInAsync("rahmat", Password, OfficerTotpUri);
        Tokens["second-officer"] = await Server.SignInAsync("sari", Password, SecondOfficerTotpUri);
        Tokens["subscriber"] = await Server.SignInAsync("budi", Password);
        Tokens["auditor"] = await Server.SignInAsync("auditor", Password);
    }

    public HttpClient As(string role, string language = "id") => Server.Client(role == "anonymous" ? null : Tokens[role], language);

    public string Csv(string budiAgency, string budiAgencyName) =>
        "nip;nik;nama;jabatan;kode_perangkat_daerah;nama_perangkat_daerah;unit_kerja;email\n" +
        $"{BudiNip};{BudiNik};Budi Santoso;Pranata Komputer;{budiAgency};{budiAgencyName};;{BudiEmail}\n" +
        $"{SitiNip};6310014101900002;Siti Aminah;Analis Kebijakan;DINKES;Dinas Kesehatan;;siti.{Tag}@tanahbumbukab.go.id\n" +
        $"{OfficerNip};6310011003820003;Rahmat Hidayat;Sandiman;DISKOMINFO;Dinas Komunikasi dan Informatika;Bidang Persandian;{RahmatEmail}\n" +
        $"{SecondOfficerNip};6310016411880005;Sari Wulandari;Sandiman;DISKOMINFO;Dinas Komunikasi dan Informatika;Bidang Persandian;{SariEmail}\n" +
        $"{AndiNip};6310011503900007;Andi Pratama;Pengelola Data;DISKOMINFO;Dinas Komunikasi dan Informatika;;andi.{Tag}@tanahbumbukab.go.id\n";

    private static async Task<string?> AddUserAsync(HttpClient admin, string username, string roles, string? agency = null, string? employee = null)
    {
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/v1/users",
            new { username, displayName = username, roles, password = Password, agency, employeeNip = employee });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{username}: {body}");
        JsonElement totp = JsonDocument.Parse(body).RootElement.GetProperty("totpUri");
        return totp.ValueKind == JsonValueKind.String ? totp.GetString() : null;
    }

    public async Task<long> ApplyAsync(string head, string kind, string desk, HttpContent? ktp = null, string nip = HttpWorld.BudiNip,
        string? holderEmail = null, string passphrase = HttpWorld.HolderPassphrase)
    {
        using HttpClient client = As(head);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/enrollments")
        {
            Content = JsonContent.Create(new { nip, contactEmail = desk, kind }),
        };
        string key = Guid.NewGuid().ToString();
        request.Headers.Add("Idempotency-Key", key);
        long id = (await HttpWorld.OkJsonAsync(await client.SendAsync(request))).GetProperty("id").GetInt64();
        // The same request retried with the same key makes no second application.
        var retry = new HttpRequestMessage(HttpMethod.Post, "/api/v1/enrollments") { Content = JsonContent.Create(new { nip, contactEmail = desk, kind }) };
        retry.Headers.Add("Idempotency-Key", key);
        Assert.Equal(id, (await HttpWorld.OkJsonAsync(await client.SendAsync(retry))).GetProperty("id").GetInt64());
        Assert.Equal(kind == "new" ? "NEW" : "RENEW", await StatusAsync(nip));

        foreach (string document in new[] { "request-letter", "recommendation-letter", "registration-form", "appointment-decree" })
        {
            await HttpWorld.OkJsonAsync(await client.PutAsync($"/api/v1/enrollments/{id}/documents/{document}", HttpWorld.Pdf(document)));
        }
        await HttpWorld.OkJsonAsync(await client.PutAsync($"/api/v1/enrollments/{id}/documents/id-card", ktp ?? HttpWorld.Pdf("KTP")));

        // The holder confirms with the code e-mailed to the official address and accepts the current agreement.
        MimeMessage mail = await TestSmtp.NextAsync(holderEmail ?? BudiEmail, m => (m.Subject ?? "").Contains("Konfirmasi", StringComparison.Ordinal), SeenMail);
        using HttpClient anonymous = Server.Client();
        int version = (await HttpWorld.OkJsonAsync(await anonymous.GetAsync("/api/v1/agreements/current"))).GetProperty("version").GetInt32();
        HttpResponseMessage confirmed = await anonymous.PostAsJsonAsync($"/api/v1/enrollments/{id}/holder-confirmation",
            new { code = LifecycleWorld.CodeIn(mail.TextBody ?? ""), agreementVersion = version, passphrase });
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);

        await HttpWorld.OkJsonAsync(await client.PostAsync($"/api/v1/enrollments/{id}/submission", null));
        return id;
    }

    public async Task<string> ApproveAsync(long id, string officerRole = "ra-officer")
    {
        using HttpClient officer = As(officerRole);
        JsonElement queue = await HttpWorld.OkJsonAsync(await officer.GetAsync("/api/v1/enrollments?state=submitted"));
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetInt64() == id);
        JsonElement approved = await HttpWorld.OkJsonAsync(await officer.PostAsJsonAsync($"/api/v1/enrollments/{id}/approval", new { passphrase = HttpWorld.OfficerPassphrase }));
        return approved.GetProperty("certificateSerial").GetString()!;
    }

    /// <summary>Budi applied for, confirmed and approved: he holds a certificate whose key Segel keeps under <see cref="HolderPassphrase"/>.</summary>
    public async Task<string> BudiHoldsCertificateAsync() => await ApproveAsync(await ApplyAsync("agency-head", "new", KominfoDesk));

    /// <summary>A person's national status, as the auditor sees it.</summary>
    public async Task<string> StatusAsync(string? nip = null)
    {
        using HttpClient auditor = As("auditor");
        string query = nip is null ? $"nik={BudiNik}" : $"nip={nip}";
        return (await OkJsonAsync(await auditor.GetAsync($"/api/v1/holders/status?{query}"))).GetProperty("status").GetString()!;
    }

    public static ByteArrayContent Pdf(string text)
    {
        var content = new ByteArrayContent(LifecycleWorld.Pdf(text));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return content;
    }

    public static ByteArrayContent Png()
    {
        var content = new ByteArrayContent(LifecycleWorld.Png());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }

    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
