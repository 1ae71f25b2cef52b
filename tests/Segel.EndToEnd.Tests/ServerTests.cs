using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary><c>segel serve</c> as relying parties and operators reach it: openssl for OCSP and CRL, HTTP for the rest.</summary>
public sealed class ServerTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private ServerProcess _server = null!;

    private string Data => _dir.File("ca");

    public async Task InitializeAsync()
    {
        // First start on an empty folder: the CA is created and the public URL taken from --urls.
        _server = Segel.Serve(_dir.Path, null, "--data", Data);
        await _server.WaitUntilReadyAsync();
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", _dir.File("chain.pem"));
        File.WriteAllText(_dir.File("issuing.pem"), File.ReadAllText(_dir.File("chain.pem")).Split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n");
    }

    private string IssueCertificate(string name)
    {
        string key = _dir.File(name + ".key"), csr = _dir.File(name + ".csr"), cert = _dir.File(name + ".pem");
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
            "-subj", $"/CN={name}/emailAddress={name}@tanahbumbukab.go.id");
        Segel.Register(_dir.Path, Data, null, (name, $"{name}@tanahbumbukab.go.id"));
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, "--csr", csr, "--out", cert, .. Staff.IssueArguments($"{name}@tanahbumbukab.go.id")]);
        return cert;
    }

    private Tool.Result Ocsp(string cert, params string[] extra) =>
        Tool.OpenSsl(["ocsp", "-issuer", _dir.File("issuing.pem"), "-cert", cert, "-url", _server.Url + "/ocsp", "-CAfile", _dir.File("chain.pem"), .. extra]);

    [Fact]
    public void Ocsp_says_good_then_revoked_right_after_a_revocation_from_another_process()
    {
        string cert = IssueCertificate("andi");
        Tool.Result good = Ocsp(cert);
        Assert.Contains("Response verify OK", good.Output, StringComparison.Ordinal);
        Assert.Contains(": good", good.Output, StringComparison.Ordinal);
        // Asked twice so the answer is cached; the revocation must still show on the very next request.
        Assert.Contains(": good", Ocsp(cert, "-no_nonce").Output, StringComparison.Ordinal);
        Assert.Contains(": good", Ocsp(cert, "-no_nonce").Output, StringComparison.Ordinal);

        string serial = Tool.OpenSslOk("x509", "-in", cert, "-noout", "-serial").Trim().Split('=')[1];
        Segel.Ok(_dir.Path, "cert", "revoke", "--data", Data, "--serial", serial, "--reason", "keyCompromise");

        Tool.Result revoked = Ocsp(cert, "-no_nonce");
        Assert.Contains("Response verify OK", revoked.Output, StringComparison.Ordinal);
        Assert.Contains(": revoked", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("Reason: keyCompromise", revoked.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_stamps_pass_openssl_ts_verify_and_bad_requests_get_a_rejection()
    {
        File.WriteAllText(_dir.File("letter.txt"), "Surat dinas yang diberi cap waktu");
        Tool.OpenSslOk("ts", "-query", "-data", _dir.File("letter.txt"), "-sha256", "-cert", "-out", _dir.File("req.tsq"));
        using HttpClient client = _server.Client();
        async Task<byte[]> Stamp(byte[] body)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
            HttpResponseMessage response = await client.PostAsync("/tsa", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadAsByteArrayAsync();
        }
        File.WriteAllBytes(_dir.File("resp.tsr"), await Stamp(File.ReadAllBytes(_dir.File("req.tsq"))));
        Assert.Contains("Verification: OK", Tool.OpenSslOk("ts", "-verify", "-in", _dir.File("resp.tsr"), "-queryfile", _dir.File("req.tsq"),
            "-CAfile", _dir.File("chain.pem")), StringComparison.Ordinal);
        Assert.Contains("Verification: OK", Tool.OpenSslOk("ts", "-verify", "-in", _dir.File("resp.tsr"), "-data", _dir.File("letter.txt"),
            "-CAfile", _dir.File("chain.pem")), StringComparison.Ordinal);
        string text = Tool.OpenSslOk("ts", "-reply", "-in", _dir.File("resp.tsr"), "-text");
        Assert.Contains("Status: Granted.", text, StringComparison.Ordinal);
        Assert.Contains("Policy OID: 2.25.40839512174166977380677683069637647708", text, StringComparison.Ordinal);
        Assert.Contains("Accuracy: 0x01 seconds", text, StringComparison.Ordinal);

        // A changed document does not verify against the token.
        File.WriteAllText(_dir.File("forged.txt"), "Surat dinas yang diubah");
        Assert.NotEqual(0, Tool.OpenSsl(["ts", "-verify", "-in", _dir.File("resp.tsr"), "-data", _dir.File("forged.txt"), "-CAfile", _dir.File("chain.pem")]).ExitCode);

        // SHA-1 and garbage are answered with a rejection, not an HTTP error.
        Tool.OpenSslOk("ts", "-query", "-data", _dir.File("letter.txt"), "-sha1", "-out", _dir.File("sha1.tsq"));
        File.WriteAllBytes(_dir.File("sha1.tsr"), await Stamp(File.ReadAllBytes(_dir.File("sha1.tsq"))));
        Assert.Contains("Status: Rejected", Tool.OpenSslOk("ts", "-reply", "-in", _dir.File("sha1.tsr"), "-text"), StringComparison.Ordinal);
        File.WriteAllBytes(_dir.File("junk.tsr"), await Stamp("not a request"u8.ToArray()));
        Assert.Contains("Status: Rejected", Tool.OpenSslOk("ts", "-reply", "-in", _dir.File("junk.tsr"), "-text"), StringComparison.Ordinal);

        // `segel pdf sign --tsa` asks this server for the signature time-stamp (PAdES B-T).
        _dir.Write("pw.txt", "kata-sandi-rahasia");
        Segel.Register(_dir.Path, Data, null, ("Rina Wati", "rina@tanahbumbukab.go.id"));
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, .. Staff.IssueArguments("rina@tanahbumbukab.go.id"),
            "--p12", _dir.File("rina.p12"), "--password-file", _dir.File("pw.txt")]);
        File.WriteAllBytes(_dir.File("surat.pdf"), SamplePdf.Letter());
        Segel.Ok(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("surat-bt.pdf"), "--p12", _dir.File("rina.p12"),
            "--password-file", _dir.File("pw.txt"), "--tsa", _server.Url + "/tsa");
        string report = Segel.Ok(_dir.Path, "pdf", "verify", _dir.File("surat-bt.pdf"), "--trust", _dir.File("chain.pem"), "--data", Data, "--lang", "en").Stdout;
        Assert.Contains("a time-stamping authority vouches for the time", report, StringComparison.Ordinal);
        Assert.Contains("VALID", report, StringComparison.Ordinal);

        // B-LTA with a certification: the file then carries what it needs, and verifies offline.
        Segel.Ok(_dir.Path, "pdf", "sign", "--in", _dir.File("surat.pdf"), "--out", _dir.File("surat-lta.pdf"), "--p12", _dir.File("rina.p12"),
            "--password-file", _dir.File("pw.txt"), "--tsa", _server.Url + "/tsa", "--level", "B-LTA", "--certify", "2", "--data", Data);
        Tool.Run("qpdf", "--check", _dir.File("surat-lta.pdf")).Check();
        string lta = Segel.Ok(_dir.Path, "pdf", "verify", _dir.File("surat-lta.pdf"), "--trust", _dir.File("chain.pem"), "--offline", "--lang", "en").Stdout;
        Assert.Contains("Document time-stamp 2", lta, StringComparison.Ordinal);
        Assert.Contains("certification P=2", lta, StringComparison.Ordinal);
        Assert.DoesNotContain("INDETERMINATE", lta, StringComparison.Ordinal);

        // `segel pdf extend --data` brings the B-T letter to B-LTA with this CA's own TSA and revocation data.
        Assert.Contains("B-LTA", Segel.Ok(_dir.Path, "pdf", "extend", _dir.File("surat-bt.pdf"), "--out", _dir.File("surat-bt-lta.pdf"), "--data", Data).Stdout,
            StringComparison.Ordinal);
        Tool.Run("qpdf", "--check", _dir.File("surat-bt-lta.pdf")).Check();
        string extended = Segel.Ok(_dir.Path, "pdf", "verify", _dir.File("surat-bt-lta.pdf"), "--trust", _dir.File("chain.pem"), "--data", Data, "--lang", "en").Stdout;
        Assert.Contains("Document time-stamp 2", extended, StringComparison.Ordinal);
        Assert.DoesNotContain("INDETERMINATE", extended, StringComparison.Ordinal);
        Tool.Result unsigned = Segel.Run(_dir.Path, "pdf", "extend", _dir.File("surat.pdf"), "--out", _dir.File("tidak-ada.pdf"), "--data", Data);
        Assert.Equal(2, unsigned.ExitCode);
        Assert.Contains("no signature", unsigned.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("tidak-ada.pdf")));

        // `segel tsa` time-stamps any file; openssl checks the token, and so does `segel tsa verify`.
        _dir.Write("laporan.txt", "Laporan kinerja triwulan III\n");
        Segel.Ok(_dir.Path, "tsa", "stamp", _dir.File("laporan.txt"), "--tsa", _server.Url + "/tsa", "--out", _dir.File("laporan.tst"));
        Assert.Contains("Verification: OK", Tool.OpenSslOk("ts", "-verify", "-data", _dir.File("laporan.txt"), "-in", _dir.File("laporan.tst"), "-token_in",
            "-CAfile", _dir.File("chain.pem")), StringComparison.Ordinal);
        Assert.Contains("VALID: ", Segel.Ok(_dir.Path, "tsa", "verify", _dir.File("laporan.txt"), "--token", _dir.File("laporan.tst"),
            "--trust", _dir.File("chain.pem"), "--data", Data).Stdout, StringComparison.Ordinal);
        _dir.Write("laporan-lain.txt", "Laporan kinerja triwulan IV\n");
        Tool.Result other = Segel.Run(_dir.Path, "tsa", "verify", _dir.File("laporan-lain.txt"), "--token", _dir.File("laporan.tst"), "--trust", _dir.File("chain.pem"), "--offline");
        Assert.Equal(8, other.ExitCode);
        Assert.Contains("another file", other.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_ocsp_request_gets_malformedRequest_not_an_http_error()
    {
        using HttpClient client = _server.Client();
        foreach (byte[] body in new[] { "garbage"u8.ToArray(), new byte[] { 0x30, 0x80 }, new byte[20_000] })
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
            HttpResponseMessage response = await client.PostAsync("/ocsp", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal([0x30, 0x03, 0x0A, 0x01, 0x01], await response.Content.ReadAsByteArrayAsync());
        }
        HttpResponseMessage get = await client.GetAsync("/ocsp/not-base64!!");
        Assert.Equal([0x30, 0x03, 0x0A, 0x01, 0x01], await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Ocsp_get_form_answers_with_rfc5019_cache_headers()
    {
        string cert = IssueCertificate("budi");
        Tool.OpenSslOk("ocsp", "-issuer", _dir.File("issuing.pem"), "-cert", cert, "-no_nonce", "-reqout", _dir.File("req.der"));
        string encoded = Uri.EscapeDataString(Convert.ToBase64String(File.ReadAllBytes(_dir.File("req.der"))));
        using HttpClient client = _server.Client();
        HttpResponseMessage response = await client.GetAsync("/ocsp/" + encoded);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.MaxAge > TimeSpan.Zero);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.NotNull(response.Headers.ETag);
        _dir.Write("resp.der", await response.Content.ReadAsByteArrayAsync());
        string output = Tool.OpenSsl("ocsp", "-respin", _dir.File("resp.der"), "-issuer", _dir.File("issuing.pem"), "-cert", cert, "-CAfile", _dir.File("chain.pem")).Output;
        Assert.Contains("Response verify OK", output, StringComparison.Ordinal);
        Assert.Contains(": good", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crl_and_ca_certificates_are_published_over_http()
    {
        using HttpClient client = _server.Client();
        HttpResponseMessage crl = await client.GetAsync("/crl/issuing-ca.crl");
        Assert.Equal("application/pkix-crl", crl.Content.Headers.ContentType?.MediaType);
        _dir.Write("issuing.crl", await crl.Content.ReadAsByteArrayAsync());
        Assert.Contains("verify OK", Tool.OpenSslOk("crl", "-inform", "DER", "-in", _dir.File("issuing.crl"), "-CAfile", _dir.File("chain.pem"), "-noout"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/crl/root-ca.crl")).StatusCode);

        HttpResponseMessage ca = await client.GetAsync("/ca/issuing-ca.crt");
        Assert.Equal("application/pkix-cert", ca.Content.Headers.ContentType?.MediaType);
        _dir.Write("issuing.der", await ca.Content.ReadAsByteArrayAsync());
        Assert.Contains("Segel Issuing CA", Tool.OpenSslOk("x509", "-inform", "DER", "-in", _dir.File("issuing.der"), "-noout", "-subject"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/crl/nobody.crl")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/crl/ocsp-responder.crl")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ca/issuing-ca.exe")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Api_tokens_grant_only_their_scopes_and_stop_working_when_revoked()
    {
        string issued = Segel.Ok(_dir.Path, "tokens", "issue", "--data", Data, "--name", "SIMPEG", "--scope", "certificates:read").Stdout;
        string token = issued.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("sgl_", StringComparison.Ordinal));
        using HttpClient client = _server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/certificates")).StatusCode);
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _dir.File("t.key"), "-out", _dir.File("t.csr"),
            "-subj", "/CN=Tono/emailAddress=tono@tanahbumbukab.go.id");
        HttpResponseMessage forbidden = await client.PostAsJsonAsync("/api/v1/certificates", new { csr = File.ReadAllText(_dir.File("t.csr")) });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("certificates:issue", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Segel.Ok(_dir.Path, "tokens", "issue", "--data", Data, "--name", "SRIKANDI", "--scope", "certificates:issue");
        string issuer = Segel.Ok(_dir.Path, "tokens", "issue", "--data", Data, "--name", "E-OFFICE", "--scope", "certificates:issue").Stdout;
        using HttpClient app = _server.Client();
        app.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            issuer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => l.StartsWith("sgl_", StringComparison.Ordinal)));
        Segel.Register(_dir.Path, Data, null, ("Tono", "tono@tanahbumbukab.go.id"));
        Assert.Equal(HttpStatusCode.Created, (await app.PostAsJsonAsync("/api/v1/certificates",
            new { csr = File.ReadAllText(_dir.File("t.csr")), nip = Staff.Nip("tono@tanahbumbukab.go.id"), reason = Staff.Reason })).StatusCode);
        Assert.Contains("api:E-OFFICE", Segel.Ok(_dir.Path, "audit", "list", "--data", Data).Stdout, StringComparison.Ordinal);

        Segel.Ok(_dir.Path, "tokens", "revoke", "--data", Data, "--id", "1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/certificates")).StatusCode);
    }

    [Fact]
    public async Task Cps_that_every_certificate_points_to_is_served()
    {
        using HttpClient client = _server.Client();
        HttpResponseMessage response = await client.GetAsync("/cps");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        string policy = Tool.OpenSslOk("x509", "-in", _dir.File("issuing.pem"), "-noout", "-ext", "certificatePolicies");
        string oid = policy.Split("Policy: ")[1].Split('\n')[0].Trim();
        Assert.Contains(oid, html, StringComparison.Ordinal);
        Assert.Contains("2 (dua) tahun", html, StringComparison.Ordinal);
        Assert.Contains(_server.Url + "/ocsp", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_api_needs_the_operator_token_and_answers_problems_for_bad_input()
    {
        using HttpClient client = _server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/certificates")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/certificates")).StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(Data, "admin.token")).Trim());
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _dir.File("api.key"), "-out", _dir.File("api.csr"),
            "-subj", "/CN=Citra Lestari/emailAddress=citra@tanahbumbukab.go.id");
        // Around the RA only for an employee on file, naming the register's address, with a reason (Pasal 7, 10(1), 14(f)).
        string apiCsr = File.ReadAllText(_dir.File("api.csr"));
        HttpResponseMessage outsider = await client.PostAsJsonAsync("/api/v1/certificates", new { csr = apiCsr, nip = Staff.Nip("citra@tanahbumbukab.go.id"), reason = Staff.Reason });
        Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode);
        Assert.Equal("application/problem+json", outsider.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nip", (await outsider.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Segel.Register(_dir.Path, Data, null, ("Citra Lestari", "citra@tanahbumbukab.go.id"));
        HttpResponseMessage offDomain = await client.PostAsJsonAsync("/api/v1/certificates",
            new { csr = apiCsr, nip = Staff.Nip("citra@tanahbumbukab.go.id"), email = "citra@gmail.com", reason = Staff.Reason });
        Assert.Equal(HttpStatusCode.Forbidden, offDomain.StatusCode);
        HttpResponseMessage noReason = await client.PostAsJsonAsync("/api/v1/certificates", new { csr = apiCsr, nip = Staff.Nip("citra@tanahbumbukab.go.id") });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        HttpResponseMessage created = await client.PostAsJsonAsync("/api/v1/certificates",
            new { csr = apiCsr, nip = Staff.Nip("citra@tanahbumbukab.go.id"), unit = Staff.Agency, reason = Staff.Reason });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        JsonElement view = await created.Content.ReadFromJsonAsync<JsonElement>();
        string serial = view.GetProperty("serial").GetString()!;
        Assert.Equal("valid", view.GetProperty("status").GetString());

        HttpResponseMessage bad = await client.PostAsJsonAsync("/api/v1/certificates", new { csr = "nonsense" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal("csr", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        HttpResponseMessage badReason = await client.PostAsJsonAsync($"/api/v1/certificates/{serial}/revocation", new { reason = "certificateHold" });
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/certificates/{serial}/revocation", new { reason = "superseded" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/certificates/{serial}/revocation", new { reason = "superseded" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/certificates/0ABC")).StatusCode);
        using var notJson = new StringContent("{{{", System.Text.Encoding.UTF8, "application/json");
        HttpResponseMessage malformed = await client.PostAsync("/api/v1/certificates", notJson);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();
}
