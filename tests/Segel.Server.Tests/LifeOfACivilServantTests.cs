using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// One civil servant's whole life with Segel, through the HTTP API only, on a clock the test moves:
/// imported → application returned for a missing KTP → fixed and resubmitted → approved → certificate checked
/// by openssl → renewal reminders on the right days → renewed → transferred by the personnel file: revocation
/// proposed, sent on by the former head with the letter and approved, OCSP says revoked, the agency is e-mailed → a new
/// application in the new agency succeeds.
/// </summary>
public sealed class LifeOfACivilServantTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,7:F1}s  {what}");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_civil_servants_whole_life_runs_through_the_api(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider);
        HttpWorld world = await HttpWorld.CreateAsync(server);
        using HttpClient anonymous = server.Client();
        await File.WriteAllTextAsync(server.Directory.File("chain.pem"), await anonymous.GetStringAsync("/ca/chain.pem"));
        Assert.Equal("NO_CERTIFICATE", await world.StatusAsync());

        Step("Application with a blank image where the KTP should be: the ");
        // Application with a blank image where the KTP should be: the RA returns it.
        long first = await world.ApplyAsync("agency-head", "new", world.KominfoDesk, ktp: HttpWorld.Png());
        Assert.Equal("WAITING_FOR_VERIFICATION", await world.StatusAsync());
        using (HttpClient officer = world.As("ra-officer"))
        {
            await HttpWorld.OkJsonAsync(await officer.PostAsJsonAsync($"/api/v1/enrollments/{first}/rejection",
                new { reason = "Scan KTP tidak ada: berkas id-card kosong", passphrase = HttpWorld.OfficerPassphrase }));
        }
        MimeMessage returned = await TestSmtp.NextAsync(world.KominfoDesk, m => (m.Subject ?? "").Contains("dikembalikan", StringComparison.Ordinal), world.SeenMail);
        Assert.Contains("Scan KTP tidak ada", returned.TextBody ?? "", StringComparison.Ordinal);

        Step("The agency replaces the KTP scan and resubmits; the officer ");
        // The agency replaces the KTP scan and resubmits; the officer approves.
        using (HttpClient head = world.As("agency-head"))
        {
            await HttpWorld.OkJsonAsync(await head.PutAsync($"/api/v1/enrollments/{first}/documents/id-card", HttpWorld.Pdf("KTP Budi Santoso")));
            await HttpWorld.OkJsonAsync(await head.PostAsync($"/api/v1/enrollments/{first}/submission", null));
        }
        string serial = await world.ApproveAsync(first);
        Assert.Equal("ISSUE", await world.StatusAsync());
        await TestSmtp.NextAsync(world.BudiEmail, m => (m.Subject ?? "").Contains("diterbitkan", StringComparison.Ordinal), world.SeenMail);

        Step("openssl accepts the certificate against Segel's published ch");
        // openssl accepts the certificate against Segel's published chain (at the server's clock, which the sign-ins moved ahead).
        JsonElement certificate = await GetCertificateAsync(world, serial);
        string pem = server.Directory.File("budi.pem");
        await File.WriteAllTextAsync(pem, certificate.GetProperty("pem").GetString());
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-CAfile", server.Directory.File("chain.pem"), "-purpose", "smimesign",
            "-attime", server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), pem), StringComparison.Ordinal);
        DateTimeOffset notAfter = certificate.GetProperty("notAfter").GetDateTimeOffset();

        Step("Reminders arrive on the 30th, 14th, 7th and last day before ");
        // Reminders arrive on the 30th, 14th, 7th and last day before expiry, each once.
        foreach (int days in new[] { 30, 14, 7, 1 })
        {
            server.Time.SetUtcNow(notAfter.AddDays(-days).AddHours(1));
            MimeMessage reminder = await TestSmtp.NextAsync(world.BudiEmail, m => (m.Subject ?? "").Contains($"dalam {days} hari", StringComparison.Ordinal), world.SeenMail);
            Assert.Contains(serial, reminder.TextBody ?? "", StringComparison.Ordinal);
        }
        server.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(4, await TestSmtp.CountAsync(world.BudiEmail, m => (m.Subject ?? "").Contains("berakhir dalam", StringComparison.Ordinal)));

        Step("Renewal on the last day, by the same procedure. The officer ");
        // Renewal on the last day, by the same procedure. The officer renews too — an officer whose own
        Step("certificate lapsed may no longer decide (Pasal 16(4)) — and ");
        // certificate lapsed may no longer decide (Pasal 16(4)) — and a colleague approves that one.
        await world.RefreshSessionsAsync();
        long officerRenewal = await world.ApplyAsync("agency-head", "renewal", world.KominfoDesk, nip: HttpWorld.OfficerNip, holderEmail: world.RahmatEmail,
            passphrase: HttpWorld.OfficerPassphrase);
        await world.ApproveAsync(officerRenewal, "second-officer");
        long renewal = await world.ApplyAsync("agency-head", "renewal", world.KominfoDesk);
        Assert.Equal("RENEW", await world.StatusAsync());
        string renewed = await world.ApproveAsync(renewal);
        Assert.NotEqual(serial, renewed);

        Step("Past the first certificate's end it shows as expired; the ho");
        // Past the first certificate's end it shows as expired; the holder is still ISSUE with the new one.
        server.Time.SetUtcNow(notAfter.AddDays(2));
        await world.RefreshSessionsAsync();
        Assert.Equal("expired", (await GetCertificateAsync(world, serial)).GetProperty("status").GetString());
        Assert.Equal("ISSUE", await world.StatusAsync());

        Step("Transfer: the personnel file moves Budi; Segel proposes revocation");
        // Transfer (issue 20.3): the personnel office's file moves Budi to the health agency. Segel does not change the record
        // silently: it proposes revoking his certificate on the ground "transfer" to the former agency's head, and tells him.
        using (HttpClient admin = world.As("admin"))
        {
            JsonElement imported = await HttpWorld.OkJsonAsync(await admin.PostAsync("/api/v1/employees/import?accounts=false",
                new StringContent(world.Csv("DINKES", "Dinas Kesehatan"), System.Text.Encoding.UTF8, "text/csv")));
            Assert.Equal(1, imported.GetProperty("revocationsProposed").GetInt32());
        }
        Assert.Equal("ISSUE", await world.StatusAsync()); // nothing is revoked by the import itself
        MimeMessage told = await TestSmtp.NextAsync(world.BudiEmail, m => (m.Subject ?? "").Contains("diusulkan untuk dicabut", StringComparison.Ordinal), world.SeenMail);
        Assert.Contains(renewed, told.TextBody ?? "", StringComparison.Ordinal);
        long request;
        using (HttpClient head = world.As("agency-head"))
        {
            JsonElement proposal = (await HttpWorld.OkJsonAsync(await head.GetAsync("/api/v1/revocation-requests?state=proposed"))).GetProperty("items")[0];
            Assert.Equal("transfer", proposal.GetProperty("ground").GetString());
            Assert.Equal("affiliationChanged", proposal.GetProperty("reason").GetString());
            request = proposal.GetProperty("id").GetInt64();
            // The former head sends it on with the letter they signed (Pasal 17(2)); then it waits for the RA.
            JsonElement sent = await HttpWorld.OkJsonAsync(await head.PostAsJsonAsync($"/api/v1/revocation-requests/{request}/endorsement", new
            {
                contactEmail = world.KominfoDesk,
                letter = Convert.ToBase64String(LifecycleWorld.Pdf("Surat permohonan pencabutan, ditandatangani Kepala Diskominfo")),
                letterFileName = "surat-pencabutan.pdf",
            }));
            Assert.Equal("pending", sent.GetProperty("state").GetString());
        }
        using (HttpClient officer = world.As("ra-officer"))
        {
            JsonElement decided = await HttpWorld.OkJsonAsync(await officer.PostAsJsonAsync($"/api/v1/revocation-requests/{request}/approval",
                new { passphrase = HttpWorld.OfficerPassphrase }));
            Assert.Equal("approved", decided.GetProperty("state").GetString());
        }
        Assert.Equal("REVOKE", await world.StatusAsync());

        Step("OCSP says revoked at once (openssl, at the server's clock).");
        // OCSP says revoked at once (openssl, at the server's clock).
        await File.WriteAllTextAsync(server.Directory.File("renewed.pem"), (await GetCertificateAsync(world, renewed)).GetProperty("pem").GetString());
        string issuing = (await anonymous.GetStringAsync("/ca/chain.pem")).Split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n";
        await File.WriteAllTextAsync(server.Directory.File("issuing.pem"), issuing);
        Tool.Result ocsp = Tool.OpenSsl(["ocsp", "-issuer", server.Directory.File("issuing.pem"), "-cert", server.Directory.File("renewed.pem"),
            "-url", server.Url + "/ocsp", "-CAfile", server.Directory.File("chain.pem"), "-no_nonce",
            "-attime", server.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "-validity_period", "100000000"]);
        Assert.Contains("Response verify OK", ocsp.Output, StringComparison.Ordinal);
        Assert.Contains(": revoked", ocsp.Output, StringComparison.Ordinal);
        Assert.Contains("Reason: affiliationChanged", ocsp.Output, StringComparison.Ordinal);

        Step("The requesting agency is e-mailed at the address in the requ");
        // The requesting agency is e-mailed at the address in the request (Pasal 17(4)).
        MimeMessage notice = await TestSmtp.NextAsync(world.KominfoDesk, m => (m.Subject ?? "").Contains("dicabut", StringComparison.Ordinal), world.SeenMail);
        Assert.Contains(renewed, notice.TextBody ?? "", StringComparison.Ordinal);

        Step("Budi's new agency applies, and it succeeds (Pasal 17(5)).");
        long again = await world.ApplyAsync("other-agency-head", "new", world.DinkesDesk);
        string third = await world.ApproveAsync(again);
        Assert.Equal("ISSUE", await world.StatusAsync());
        Assert.Contains("Dinas Kesehatan", (await GetCertificateAsync(world, third)).GetProperty("subject").GetString(), StringComparison.Ordinal);

        Step("Every step left an intact, verifiable trace.");
        // Every step left an intact, verifiable trace.
        using HttpClient auditor = world.As("auditor");
        JsonElement verification = await HttpWorld.OkJsonAsync(await auditor.GetAsync("/api/v1/audit/verification"));
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    private static async Task<JsonElement> GetCertificateAsync(HttpWorld world, string serial)
    {
        using HttpClient officer = world.As("ra-officer");
        return await HttpWorld.OkJsonAsync(await officer.GetAsync($"/api/v1/certificates/{serial}"));
    }
}
