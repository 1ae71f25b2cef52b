using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Issue 25.3: Segel serving HTTPS itself from a PEM certificate and key — browsers sent from HTTP to HTTPS and told to
/// stay (HSTS), while what relying parties fetch by the addresses in certificates (OCSP, CRLs, CA certificates)
/// stays on plain HTTP; an https:// address without a certificate refused in one line.
/// </summary>
public sealed class HttpsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Https_from_a_pem_certificate_with_redirect_and_hsts_for_browsers_and_plain_http_for_relying_parties()
    {
        string data = _dir.File("data");
        Segel.Ok(_dir.Path, "init", "--data", data);
        int http = Segel.FreePort(), https = Segel.FreePort();
        string urls = $"http://127.0.0.1:{http};https://127.0.0.1:{https}";

        Tool.Result refused = Segel.Within(_dir.Path, TimeSpan.FromSeconds(90), "serve", "--data", data, "--urls", urls);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Https:Certificate", refused.Output, StringComparison.Ordinal);

        Tool.OpenSslOk("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", Path.Combine(data, "tls.key"),
            "-out", Path.Combine(data, "tls.pem"), "-days", "30", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(data, "tls.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(Path.Combine(data, "tls.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        JsonNode config = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "segel.json")))!;
        config["Https"] = new JsonObject { ["Certificate"] = "tls.pem", ["Key"] = "tls.key" };
        File.WriteAllText(Path.Combine(data, "segel.json"), config.ToJsonString());
        using X509Certificate2 expected = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, "tls.pem"));

        await using ServerProcess server = Segel.ServeOn(urls, _dir.Path, null, "--data", data);
        await server.WaitUntilReadyAsync();
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            // Pinned: the test's own certificate, nothing else.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == expected.Thumbprint,
        };
        using var client = new HttpClient(handler);

        HttpResponseMessage secure = await client.GetAsync($"https://127.0.0.1:{https}/verify");
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.StartsWith("max-age=31536000", secure.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        HttpResponseMessage plain = await client.GetAsync($"http://127.0.0.1:{http}/verify?lang=en");
        Assert.Equal(HttpStatusCode.PermanentRedirect, plain.StatusCode);
        Assert.Equal($"https://127.0.0.1:{https}/verify?lang=en", plain.Headers.Location!.AbsoluteUri);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));

        HttpResponseMessage crl = await client.GetAsync($"http://127.0.0.1:{http}/crl/issuing-ca.crl");
        Assert.Equal(HttpStatusCode.OK, crl.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{http}/ca/chain.pem")).StatusCode);
        using var ocsp = new ByteArrayContent([0x30, 0x00]);
        ocsp.Headers.ContentType = new("application/ocsp-request");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"http://127.0.0.1:{http}/ocsp", ocsp)).StatusCode);
    }

    public void Dispose() => _dir.Dispose();
}
