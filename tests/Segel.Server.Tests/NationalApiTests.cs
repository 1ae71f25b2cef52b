using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Segel.Core.Kernel;
using Segel.Core.Signing;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// An e-government application written for the national signing service, pointed at Segel: requests shaped
/// exactly as such clients send them (v1 multipart, v2 JSON, HTTP Basic), signed PDFs checked by poppler's
/// pdfsig and qpdf, the national error codes, one-time codes, and the public page behind the QR code.
/// </summary>
public sealed partial class NationalApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_application_built_for_the_national_service_signs_and_verifies_through_segel(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider);
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        string nss = await Poppler.NssTrustingSegelAsync(server);
        using HttpClient app = await server.SigningApplicationAsync("esurat");

        // v1: visible signature with Segel's own QR code, as the correspondence systems send it.
        using (MultipartFormDataContent form = V1Form(SamplePdf.Letter("Surat Dinas Nomor 800/17/DISKOMINFO"), HttpWorld.BudiNik, HttpWorld.HolderPassphrase))
        {
            form.Add(new StringContent("visible"), "tampilan");
            form.Add(new StringContent("false"), "image");
            form.Add(new StringContent("1"), "page");
            form.Add(new StringContent("350"), "xAxis");
            form.Add(new StringContent("80"), "yAxis");
            form.Add(new StringContent("200"), "width");
            form.Add(new StringContent("90"), "height");
            form.Add(new StringContent("Menyetujui"), "reason");
            form.Add(new StringContent("Batulicin"), "location");
            HttpResponseMessage response = await app.PostAsync("/api/sign/pdf", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            byte[] signed = await response.Content.ReadAsByteArrayAsync();
            string path = server.Directory.File("v1-visible.pdf");
            await File.WriteAllBytesAsync(path, signed);
            Poppler.Accepts(path, nss);
            Assert.Contains("/DSS", Encoding.Latin1.GetString(signed), StringComparison.Ordinal); // B-LT by default
            string id = response.Headers.GetValues("X-Segel-Signature-Id").Single();

            // The QR code's page: who signed and that the certificate stands; the file itself matches.
            using HttpClient anonymous = server.Client();
            string page = await anonymous.GetStringAsync($"/verify/{id}");
            Assert.Contains("Budi Santoso", page, StringComparison.Ordinal);
            Assert.Contains("masih berlaku", page, StringComparison.Ordinal);
            Assert.Contains("kepala pohon log transparansi berikutnya", page, StringComparison.Ordinal);

            // Once a tree head is signed, the page shows the signature's leaf and audit path, and the log serves the proof.
            Assert.NotNull(await server.Ca.TransparencyLog.SignHeadAsync(Segel.Core.Kernel.Principal.System));
            page = await anonymous.GetStringAsync($"/verify/{id}?lang=en");
            Assert.Contains("public transparency log, covered by the tree head", page, StringComparison.Ordinal);
            JsonElement head = await HttpWorld.OkJsonAsync(await anonymous.GetAsync("/log/sth"));
            long size = head.GetProperty("treeSize").GetInt64();
            long index = long.Parse(System.Text.RegularExpressions.Regex.Match(page, @"entry #([\d,]+)").Groups[1].Value.Replace(",", "", StringComparison.Ordinal),
                System.Globalization.CultureInfo.InvariantCulture);
            JsonElement inclusion = await HttpWorld.OkJsonAsync(await anonymous.GetAsync($"/log/proof/inclusion?index={index}&size={size}"));
            JsonElement leaf = (await HttpWorld.OkJsonAsync(await anonymous.GetAsync($"/log/entries?start={index}&count=1")))[0];
            byte[] leafData = Convert.FromBase64String(leaf.GetProperty("leafData").GetString()!);
            Assert.Equal(3, leafData[1]); // a signature: its leaf ends with the signed file's SHA-256
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(signed), leafData[^32..]);
            Assert.True(Segel.Pki.Transparency.MerkleProofs.VerifyInclusion(Segel.Pki.Transparency.MerkleTree.HashLeaf(leafData), index, size,
                [.. inclusion.GetProperty("auditPath").EnumerateArray().Select(p => Convert.FromBase64String(p.GetString()!))],
                Convert.FromBase64String(head.GetProperty("rootHash").GetString()!)));
            HttpResponseMessage tooMany = await anonymous.GetAsync("/log/entries?count=5000");
            Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
            Assert.Equal("application/problem+json", tooMany.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/log/proof/consistency?first=1&second={size + 1}")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/log/proof/consistency?first=x&second=2")).StatusCode);
            using var upload = new MultipartFormDataContent { { new ByteArrayContent(signed), "file", "surat.pdf" } };
            string matched = await (await anonymous.PostAsync($"/verify/{id}", upload)).Content.ReadAsStringAsync();
            Assert.Contains("persis dokumen yang ditandatangani", matched, StringComparison.Ordinal);
            Assert.Contains("SAH (VALID)", matched, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/verify/00000000000000000000000000000000")).StatusCode);

            // v1 verify, by the national field names.
            using var verify = new MultipartFormDataContent { { new ByteArrayContent(signed), "signed_file", "surat.pdf" } };
            JsonElement report = await HttpWorld.OkJsonAsync(await app.PostAsync("/api/sign/verify", verify));
            Assert.Equal(1, report.GetProperty("jumlah_signature").GetInt32());
            Assert.Equal("VALID", report.GetProperty("summary").GetString());
            JsonElement detail = report.GetProperty("details")[0];
            Assert.Equal("Budi Santoso", detail.GetProperty("info_signer").GetProperty("signer_name").GetString());
            Assert.True(detail.GetProperty("signature_document").GetProperty("signed_using_tsa").GetBoolean());
            Assert.True(detail.GetProperty("signature_document").GetProperty("document_integrity").GetBoolean());
            Assert.Equal("Menyetujui", detail.GetProperty("signature_document").GetProperty("reason").GetString());
            Assert.Equal(id, report.GetProperty("signature_id").GetString());
        }

        // v1: the signature image alone, placed at the marker the letter template carries.
        using (MultipartFormDataContent form = V1Form(SamplePdf.Page("BT /F1 12 Tf 400 150 Td (Kepala Dinas [qr_bsre]) Tj ET"), HttpWorld.BudiNik, HttpWorld.HolderPassphrase))
        {
            form.Add(new StringContent("visible"), "tampilan");
            form.Add(new StringContent("true"), "image");
            form.Add(new ByteArrayContent(TestImages.Png(120, 60, alpha: true)) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "imageTTD", "ttd.png");
            form.Add(new StringContent("[qr_bsre]"), "tag_koordinat");
            form.Add(new StringContent("B-T"), "level");
            form.Add(new StringContent("120"), "width");
            form.Add(new StringContent("60"), "height");
            HttpResponseMessage response = await app.PostAsync("/api/sign/pdf", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string path = server.Directory.File("v1-marker.pdf");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
            Poppler.Accepts(path, nss, whole: true);
        }

        // v2: several files in one call, by e-mail, invisible; then status, chain and verify.
        string first = Convert.ToBase64String(SamplePdf.Letter("Nota Dinas 1"));
        string second = Convert.ToBase64String(SamplePdf.Letter("Nota Dinas 2", pages: 2));
        JsonElement v2 = await HttpWorld.OkJsonAsync(await app.PostAsJsonAsync("/api/v2/sign/pdf", new
        {
            email = world.BudiEmail,
            passphrase = HttpWorld.HolderPassphrase,
            signatureProperties = new[] { new { tampilan = "INVISIBLE", reason = "Mengetahui", location = "Batulicin" } },
            file = new[] { first, second },
        }));
        Assert.Equal(2, v2.GetProperty("file").GetArrayLength());
        for (int i = 0; i < 2; i++)
        {
            string path = server.Directory.File($"v2-{i}.pdf");
            await File.WriteAllBytesAsync(path, Convert.FromBase64String(v2.GetProperty("file")[i].GetString()!));
            Poppler.Accepts(path, nss);
        }
        JsonElement status = await HttpWorld.OkJsonAsync(await app.PostAsJsonAsync("/api/v2/user/check/status", new { nik = HttpWorld.BudiNik }));
        Assert.Equal("ISSUE", status.GetProperty("status").GetString());
        Assert.Equal("ISSUE", (await HttpWorld.OkJsonAsync(await app.GetAsync($"/api/user/status/{HttpWorld.BudiNik}"))).GetProperty("status").GetString());
        Assert.Equal("NOT_REGISTERED", (await HttpWorld.OkJsonAsync(await app.PostAsJsonAsync("/api/v2/user/check/status", new { nik = "6310010000000009" })))
            .GetProperty("status").GetString());
        JsonElement chain = await HttpWorld.OkJsonAsync(await app.GetAsync($"/api/v2/user/certificate/chain/{HttpWorld.BudiNik}"));
        Assert.Equal(3, chain.GetProperty("data").GetArrayLength());
        JsonElement verified = await HttpWorld.OkJsonAsync(await app.PostAsJsonAsync("/api/v2/verify/pdf", new { file = v2.GetProperty("file")[1].GetString() }));
        Assert.Equal("VALID", verified.GetProperty("conclusion").GetString());
        Assert.Equal(1, verified.GetProperty("signatureCount").GetInt32());
        Assert.Equal("NO_SIGNATURE", (await HttpWorld.OkJsonAsync(await app.PostAsJsonAsync("/api/v2/verify/pdf", new { file = first }))).GetProperty("conclusion").GetString());

        // The application extends a signed letter to B-LTA for its archive (issue 21.6): appended, and still valid.
        byte[] signedLetter = Convert.FromBase64String(v2.GetProperty("file")[1].GetString()!);
        using (var body = new ByteArrayContent(signedLetter))
        {
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            HttpResponseMessage extension = await app.PostAsync("/api/v1/documents/extension", body);
            Assert.True(extension.IsSuccessStatusCode, await extension.Content.ReadAsStringAsync());
            Assert.Equal("application/pdf", extension.Content.Headers.ContentType?.MediaType);
            byte[] extended = await extension.Content.ReadAsByteArrayAsync();
            Assert.True(extended.AsSpan(0, signedLetter.Length).SequenceEqual(signedLetter));
            Assert.Contains("/DocTimeStamp", Encoding.Latin1.GetString(extended.AsSpan(signedLetter.Length)), StringComparison.Ordinal);
            JsonElement kept = await HttpWorld.OkJsonAsync(await app.PostAsJsonAsync("/api/v2/verify/pdf", new { file = Convert.ToBase64String(extended) }));
            Assert.Equal("VALID", kept.GetProperty("conclusion").GetString());
            JsonElement original = kept.GetProperty("signatureInformations")[0];
            Assert.Equal("validation-data", original.GetProperty("changes").GetString());
            Assert.StartsWith("setelah tanda tangan ini hanya data validasi", original.GetProperty("changesText").GetString(), StringComparison.Ordinal);
        }
        using (var unsigned = new ByteArrayContent(Convert.FromBase64String(first)))
        {
            unsigned.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            HttpResponseMessage refused = await app.PostAsync("/api/v1/documents/extension", unsigned);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("tanda tangan", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Every signature is on the record for supervision, with the application that asked for it.
        using (HttpClient auditor = world.As("auditor"))
        {
            JsonElement record = await HttpWorld.OkJsonAsync(await auditor.GetAsync($"/api/v1/signatures?nip={HttpWorld.BudiNip}"));
            Assert.Equal(4, record.GetProperty("total").GetInt32());
            Assert.All(record.GetProperty("items").EnumerateArray(), s => Assert.Equal("api:esurat", s.GetProperty("application").GetString()));
            Assert.Equal(["B-LT", "B-LT", "B-LT", "B-T"], record.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("level").GetString()).Order());
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Mistakes_get_the_national_error_codes_and_sign_nothing(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider);
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        using HttpClient app = await server.SigningApplicationAsync("simpeg");
        byte[] letter = SamplePdf.Letter();

        await ExpectAsync(app, V1Form(letter, HttpWorld.BudiNik, "passphrase yang keliru"), HttpStatusCode.BadRequest, 2031, "Passphrase anda salah");
        // A QR link too long for any QR code is refused before the key is touched: no attempt counted, wrong passphrase or not.
        MultipartFormDataContent longQr = V1Form(letter, HttpWorld.BudiNik, "passphrase yang keliru");
        longQr.Add(new StringContent("https://e-office.tanahbumbukab.go.id/surat/" + new string('q', 2400)), "linkQR");
        longQr.Add(new StringContent("visible"), "tampilan");
        await ExpectAsync(app, longQr, HttpStatusCode.BadRequest, 400, "QR");
        await using (Segel.Core.Storage.SegelDbContext db = server.Ca.Database.CreateContext())
        {
            Assert.Equal(1, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.HolderKeys.Where(k => k.CertificateId != null && k.EmployeeId == db.Employees.Single(e => e.Nip == HttpWorld.BudiNip).Id).Select(k => k.FailedAttempts)));
        }
        await ExpectAsync(app, V1Form(letter, "6310010000000009", HttpWorld.HolderPassphrase), HttpStatusCode.BadRequest, 2011, "tidak terdaftar");
        await ExpectAsync(app, V1Form(letter, "6310014101900002", HttpWorld.HolderPassphrase), HttpStatusCode.BadRequest, 2021, "NO_CERTIFICATE");
        await ExpectAsync(app, V1Form([], HttpWorld.BudiNik, HttpWorld.HolderPassphrase), HttpStatusCode.BadRequest, 400, "kosong");
        await ExpectAsync(app, V1Form("bukan PDF sama sekali"u8.ToArray(), HttpWorld.BudiNik, HttpWorld.HolderPassphrase), HttpStatusCode.BadRequest, 400, "PDF");
        await ExpectAsync(app, V1Form(Encrypted(server, letter), HttpWorld.BudiNik, HttpWorld.HolderPassphrase), HttpStatusCode.BadRequest, 400, "enkripsi");
        using (MultipartFormDataContent visible = V1Form(letter, HttpWorld.BudiNik, HttpWorld.HolderPassphrase))
        {
            visible.Add(new StringContent("visible"), "tampilan");
            visible.Add(new StringContent("[tidak_ada]"), "tag_koordinat");
            await ExpectAsync(app, visible, HttpStatusCode.BadRequest, 400, "[tidak_ada]");
        }
        using (MultipartFormDataContent noFile = new() { { new StringContent(HttpWorld.BudiNik), "nik" } })
        {
            await ExpectAsync(app, noFile, HttpStatusCode.BadRequest, 400, "file");
        }
        HttpResponseMessage badJson = await app.PostAsync("/api/v2/sign/pdf", new StringContent("{\"nik\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);

        // Wrong application credentials: 401 with a Basic challenge, in the national shape.
        using HttpClient stranger = server.Client();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("esurat:sgl_salah"u8.ToArray()));
        HttpResponseMessage refused = await stranger.PostAsync("/api/sign/pdf", V1Form(letter, HttpWorld.BudiNik, HttpWorld.HolderPassphrase));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(401, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("status_code").GetInt32());
        Assert.Contains("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        // Nothing was signed; the wrong passphrase counted once.
        using (HttpClient auditor = world.As("auditor"))
        {
            Assert.Equal(0, (await HttpWorld.OkJsonAsync(await auditor.GetAsync("/api/v1/signatures"))).GetProperty("total").GetInt32());
        }

        // Four more wrong passphrases lock the key (SUSPEND); then even the right one is refused until an RA officer unlocks it.
        for (int i = 0; i < 4; i++)
        {
            await ExpectAsync(app, V1Form(letter, HttpWorld.BudiNik, "passphrase yang keliru"), HttpStatusCode.BadRequest, 2031, "");
        }
        Assert.Equal("SUSPEND", await world.StatusAsync());
        await ExpectAsync(app, V1Form(letter, HttpWorld.BudiNik, HttpWorld.HolderPassphrase), HttpStatusCode.BadRequest, 2031, "terkunci");
        using (HttpClient officer = world.As("ra-officer"))
        {
            await HttpWorld.OkJsonAsync(await officer.PostAsync($"/api/v1/employees/{HttpWorld.BudiNip}/key-unlock", null));
        }
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("/api/sign/pdf", V1Form(letter, HttpWorld.BudiNik, HttpWorld.HolderPassphrase))).StatusCode);

        // A revoked certificate: 2021, naming the status (an expired one takes the same path, with EXPIRED).
        using HttpClient reader = world.As("auditor");
        string serial = (await HttpWorld.OkJsonAsync(await reader.GetAsync($"/api/v1/holders/status?nik={HttpWorld.BudiNik}"))).GetProperty("certificateSerial").GetString()!;
        await server.Ca.Revocation.RevokeAsync(serial, Segel.Pki.Revocation.RevocationReason.KeyCompromise, Segel.Core.Kernel.Actor.System);
        await ExpectAsync(app, V1Form(letter, HttpWorld.BudiNik, HttpWorld.HolderPassphrase), HttpStatusCode.BadRequest, 2021, "REVOKE");
    }

    [Fact]
    public async Task An_oversized_upload_is_a_clear_413_in_the_national_shape()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", o => o["Limits:PdfMegabytes"] = "1");
        (_, string token) = await server.Ca.ApiTokens.IssueAsync("esurat", [RemoteSigning.Scope], null, Principal.Console);
        using HttpClient app = server.BasicClient("esurat", token);
        byte[] huge = new byte[6 * 1024 * 1024];
        "%PDF-1.7\n"u8.CopyTo(huge);
        // As a well-behaved client sends a large body: asking first, and waiting for the answer however busy the
        // machine (HttpClient's own wait is one second, after which it sends the body into a closing connection).
        using var patient = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }) { BaseAddress = new Uri(server.Url) };
        patient.DefaultRequestHeaders.Authorization = app.DefaultRequestHeaders.Authorization;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sign/pdf") { Content = V1Form(huge, HttpWorld.BudiNik, HttpWorld.HolderPassphrase) };
        request.Headers.ExpectContinue = true;
        HttpResponseMessage response = await patient.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status_code").GetInt32());
        // Under the HTTP limit but over the PDF limit: 400, named.
        byte[] big = new byte[1024 * 1024 + 10];
        "%PDF-1.7\n"u8.CopyTo(big);
        await ExpectAsync(app, V1Form(big, HttpWorld.BudiNik, HttpWorld.HolderPassphrase), HttpStatusCode.BadRequest, 400, "MiB");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_one_time_code_goes_to_the_holder_only_and_works_once(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider);
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        using HttpClient app = await server.SigningApplicationAsync("srikandi");
        string file = Convert.ToBase64String(SamplePdf.Letter("Disposisi"));

        // Until the holder turns it on with the passphrase, no code is sent.
        HttpResponseMessage off = await app.PostAsJsonAsync("/api/v2/sign/get/totp", new { nik = HttpWorld.BudiNik, data = "Disposisi 12/2026" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, off.StatusCode);
        using (HttpClient budi = world.As("subscriber"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await budi.PutAsJsonAsync("/api/v1/me/key/code-signing", new { passphrase = "bukan passphrase saya" })).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await budi.PutAsJsonAsync("/api/v1/me/key/code-signing", new { passphrase = HttpWorld.HolderPassphrase })).StatusCode);
        }

        JsonElement sent = await HttpWorld.OkJsonAsync(await app.PostAsJsonAsync("/api/v2/sign/get/totp", new { nik = HttpWorld.BudiNik, data = "Disposisi 12/2026" }));
        MimeMessage mail = await TestSmtp.NextAsync(world.BudiEmail, m => (m.Subject ?? "").Contains("sekali pakai", StringComparison.Ordinal), world.SeenMail);
        string code = CodeIn(mail.TextBody);
        Assert.DoesNotMatch(@"\d{6}", mail.Subject ?? ""); // never in a subject: mail lists and notifications show subjects
        Assert.Contains("Disposisi 12/2026", mail.TextBody ?? "", StringComparison.Ordinal);
        Assert.Contains("srikandi", mail.TextBody ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(code, sent.ToString(), StringComparison.Ordinal); // the application never sees it
        Assert.StartsWith("b***", sent.GetProperty("sent_to").GetString(), StringComparison.Ordinal);

        await ExpectAsync(app, "/api/v2/sign/pdf", new { nik = HttpWorld.BudiNik, totp = code == "000000" ? "000001" : "000000", file = new[] { file } },
            HttpStatusCode.BadRequest, 2031, "");
        JsonElement signed = await HttpWorld.OkJsonAsync(await app.PostAsJsonAsync("/api/v2/sign/pdf", new { nik = HttpWorld.BudiNik, totp = code, file = new[] { file } }));
        Assert.Single(signed.GetProperty("file").EnumerateArray());
        // Replayed: refused.
        await ExpectAsync(app, "/api/v2/sign/pdf", new { nik = HttpWorld.BudiNik, totp = code, file = new[] { file } }, HttpStatusCode.BadRequest, 2031, "");
        using (HttpClient auditor = world.As("auditor"))
        {
            JsonElement record = await HttpWorld.OkJsonAsync(await auditor.GetAsync("/api/v1/signatures"));
            Assert.Equal("code", record.GetProperty("items")[0].GetProperty("unlock").GetString());
        }

        // Turned off again: codes stop.
        using (HttpClient budi = world.As("subscriber"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await budi.DeleteAsync("/api/v1/me/key/code-signing")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await app.PostAsJsonAsync("/api/v2/sign/get/totp", new { nik = HttpWorld.BudiNik })).StatusCode);
    }

    /// <summary>Pasal 15(3): the key is the holder's alone. Every other role, with the right passphrase even, is refused.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Nobody_but_the_holder_signs_with_the_holders_key(string provider)
    {
        await using InProcessServer server = await InProcessServer.StartAsync(provider);
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        string file = Convert.ToBase64String(SamplePdf.Letter());
        var request = new { nik = HttpWorld.BudiNik, passphrase = HttpWorld.HolderPassphrase, file = new[] { file } };
        foreach (string role in new[] { "admin", "ra-officer", "second-officer", "agency-head", "auditor", "policy-admin" })
        {
            using HttpClient client = world.As(role);
            HttpResponseMessage response = await client.PostAsJsonAsync("/api/v2/sign/pdf", request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v2/sign/get/totp", new { nik = HttpWorld.BudiNik })).StatusCode);
            // Nor can they turn on code signing, change the passphrase or export the key for him.
            Assert.NotEqual(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/me/key/code-signing", new { passphrase = HttpWorld.HolderPassphrase })).StatusCode);
        }
        // An application token with every scope but the signing one; and one with it but no passphrase.
        (_, string statusOnly) = await server.Ca.ApiTokens.IssueAsync("pemantau", ["status:read", "certificates:read"], null, Principal.Console);
        using (HttpClient monitor = server.BasicClient("pemantau", statusOnly))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await monitor.PostAsJsonAsync("/api/v2/sign/pdf", request)).StatusCode);
        }
        using HttpClient app = await server.SigningApplicationAsync("esurat");
        await ExpectAsync(app, "/api/v2/sign/pdf", new { nik = HttpWorld.BudiNik, file = new[] { file } }, HttpStatusCode.BadRequest, 400, "passphrase");
        // The holder himself, signed in, may.
        using (HttpClient budi = world.As("subscriber"))
        {
            await HttpWorld.OkJsonAsync(await budi.PostAsJsonAsync("/api/v2/sign/pdf", request));
            Assert.Equal(HttpStatusCode.Forbidden, (await budi.PostAsJsonAsync("/api/v2/sign/pdf", request with { nik = "6310011003820003" })).StatusCode);
        }
    }

    /// <summary>The holder's private key never appears in the database or the logs, in any encoding, after it signed and was exported.</summary>
    [Fact]
    public async Task The_holders_private_key_is_in_neither_the_database_nor_the_logs()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        HttpWorld world = await HttpWorld.CreateAsync(server);
        await world.BudiHoldsCertificateAsync();
        using HttpClient app = await server.SigningApplicationAsync("esurat");
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("/api/sign/pdf", V1Form(SamplePdf.Letter(), HttpWorld.BudiNik, HttpWorld.HolderPassphrase))).StatusCode);
        using (HttpClient budi = world.As("subscriber"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await budi.PutAsJsonAsync("/api/v1/me/key/code-signing", new { passphrase = HttpWorld.HolderPassphrase })).StatusCode);
            HttpResponseMessage export = await budi.PostAsJsonAsync("/api/v1/me/key/pkcs12", new { passphrase = HttpWorld.HolderPassphrase, exportPassword = "ekspor-rahasia" });
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            using System.Security.Cryptography.X509Certificates.X509Certificate2 withKey =
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(await export.Content.ReadAsByteArrayAsync(), "ekspor-rahasia");
            using System.Security.Cryptography.ECDsa key = withKey.GetECDsaPrivateKey()!;
            byte[] scalar = key.ExportParameters(true).D!;
            byte[] pkcs8 = key.ExportPkcs8PrivateKey();
            byte[][] needles = [scalar, pkcs8, Encoding.ASCII.GetBytes(Convert.ToBase64String(scalar)), Encoding.ASCII.GetBytes(Convert.ToHexString(scalar)),
                Encoding.ASCII.GetBytes(Convert.ToHexStringLower(scalar)), Encoding.ASCII.GetBytes(Convert.ToBase64String(pkcs8)[..40])];
            // The database file and its write-ahead log, as they are on disk now.
            foreach (string path in Directory.EnumerateFiles(server.Directory.File("data"), "*", SearchOption.AllDirectories))
            {
                byte[] content = await File.ReadAllBytesAsync(path);
                Assert.All(needles, needle => Assert.True(content.AsSpan().IndexOf(needle) < 0, $"key material in {path}"));
            }
            string logs = string.Join('\n', server.Logs.Lines);
            Assert.NotEmpty(server.Logs.Lines);
            Assert.All(needles, needle => Assert.DoesNotContain(Encoding.ASCII.GetString(needle), logs, StringComparison.Ordinal));
            Assert.DoesNotContain(HttpWorld.HolderPassphrase, logs, StringComparison.Ordinal);
        }
    }

    private static MultipartFormDataContent V1Form(byte[] pdf, string nik, string passphrase)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(pdf) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } }, "file", "surat.pdf" },
            { new StringContent(nik), "nik" },
            { new StringContent(passphrase), "passphrase" },
        };
        return form;
    }

    private static async Task ExpectAsync(HttpClient app, HttpContent form, HttpStatusCode status, int code, string text)
    {
        using (form)
        {
            await Check(await app.PostAsync("/api/sign/pdf", form), status, code, text);
        }
    }

    private static async Task ExpectAsync(HttpClient app, string path, object body, HttpStatusCode status, int code, string text) =>
        await Check(await app.PostAsJsonAsync(path, body), status, code, text);

    private static async Task Check(HttpResponseMessage response, HttpStatusCode status, int code, string text)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        JsonElement error = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, error.GetProperty("status_code").GetInt32());
        Assert.Contains(text, error.GetProperty("error").GetString()!, StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] Encrypted(InProcessServer server, byte[] pdf)
    {
        string plain = server.Directory.File("plain.pdf"), locked = server.Directory.File("locked.pdf");
        File.WriteAllBytes(plain, pdf);
        Tool.Run("qpdf", "--encrypt", "buka", "pemilik", "256", "--", plain, locked).Check();
        return File.ReadAllBytes(locked);
    }

    private static string CodeIn(string? body) => SixDigits().Match(body ?? "").Groups[1].Value;

    [GeneratedRegex(@"(?:code is|pakai Anda:) (\d{6})")]
    private static partial Regex SixDigits();
}
