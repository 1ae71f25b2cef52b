using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Issue 25.3: Segel behind Debian's nginx, as docs/deployment.md sets it up — the shipped
/// <c>deploy/nginx/segel.conf</c> itself, with only its name, ports and paths changed — on TLS from a certificate
/// Segel's own CA issued for the host name (<c>segel cert tls</c>). Checked from outside: OpenSSL's TLS client verifies
/// the chain and the name against the regency's root; an HTTP client sees HSTS, <c>Secure</c> cookies (Segel believes
/// nginx's forwarded scheme), the browser redirect on port 80; and OpenSSL's OCSP client asks through nginx about the
/// very certificate nginx serves.
/// </summary>
public sealed class NginxTests : IDisposable
{
    private const string Host = "pki.segel.test";
    private readonly TempDirectory _dir = new();
    private Process? _nginx;

    [Fact]
    public async Task Segel_behind_nginx_on_a_certificate_its_own_ca_issued_for_the_host_name()
    {
        string data = _dir.File("data");
        Segel.Ok(_dir.Path, "init", "--data", data, "--base-url", $"https://{Host}");
        string key = _dir.File("key.pem"), chain = _dir.File("chain.pem");
        Segel.Ok(_dir.Path, "cert", "tls", "--data", data, "--host", Host, "--key", key, "--out", chain);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
        Tool.Result again = Segel.Run(_dir.Path, "cert", "tls", "--data", data, "--host", Host, "--key", key, "--out", chain);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("exists already", again.Output, StringComparison.Ordinal);
        string cas = _dir.File("cas.pem");
        Segel.Ok(_dir.Path, "ca", "chain", "--data", data, "--out", cas);
        var regencyCas = new X509Certificate2Collection();
        regencyCas.ImportFromPemFile(cas);
        string root = _dir.Write("root.pem", regencyCas.Single(c => c.Subject == c.Issuer).ExportCertificatePem());

        JsonNode config = JsonNode.Parse(File.ReadAllText(Path.Combine(data, "segel.json")))!;
        config["Proxies"] = new JsonArray("127.0.0.1");
        File.WriteAllText(Path.Combine(data, "segel.json"), config.ToJsonString());
        int app = Segel.FreePort(), https = Segel.FreePort(), http = Segel.FreePort();
        await using ServerProcess server = Segel.ServeOn($"http://127.0.0.1:{app}", _dir.Path, null, "--data", data);
        await server.WaitUntilReadyAsync();
        await WaitForPortAsync(https, StartNginx(app, https, http, chain, key));

        // OpenSSL as the TLS client: the chain nginx sends, up to the regency's root, for this host name.
        Tool.Result tls = Tool.Run("sh", "-c", $"openssl s_client -connect 127.0.0.1:{https} -servername {Host} -verify_hostname {Host} " +
            $"-CAfile '{root}' -verify_return_error -brief < /dev/null");
        Assert.True(tls.ExitCode == 0, tls.Output);
        Assert.Contains("Verification: OK", tls.Output, StringComparison.Ordinal);
        Tool.Result wrongName = Tool.Run("sh", "-c", $"openssl s_client -connect 127.0.0.1:{https} -servername mail.segel.test -verify_hostname mail.segel.test " +
            $"-CAfile '{root}' -verify_return_error -brief < /dev/null");
        Assert.NotEqual(0, wrongName.ExitCode);

        using HttpClient client = Client(root);
        HttpResponseMessage health = await client.GetAsync($"https://{Host}:{https}/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("max-age=31536000", health.Headers.GetValues("Strict-Transport-Security").Single());
        // Segel believes nginx's X-Forwarded-Proto: the request is HTTPS to it, so its cookies are Secure.
        HttpResponseMessage language = await client.GetAsync($"https://{Host}:{https}/bahasa?to=en&back=/verify");
        Assert.Equal(HttpStatusCode.Redirect, language.StatusCode);
        Assert.Contains("secure", language.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        HttpResponseMessage browser = await client.GetAsync($"http://{Host}:{http}/verify?lang=en");
        Assert.Equal(HttpStatusCode.PermanentRedirect, browser.StatusCode);
        Assert.Equal($"https://{Host}/verify?lang=en", browser.Headers.Location!.AbsoluteUri);
        HttpResponseMessage caCerts = await client.GetAsync($"http://{Host}:{http}/ca/chain.pem");
        Assert.Equal(HttpStatusCode.OK, caCerts.StatusCode);

        // A relying party asks, over plain HTTP through nginx, about the certificate nginx itself serves.
        var sent = new X509Certificate2Collection();
        sent.ImportFromPemFile(chain);
        string leaf = _dir.Write("leaf.pem", sent[0].ExportCertificatePem());
        string issuing = _dir.Write("issuing.pem", sent[1].ExportCertificatePem());
        string ocsp = Tool.OpenSslOk("ocsp", "-issuer", issuing, "-cert", leaf, "-url", $"http://127.0.0.1:{http}/ocsp", "-header", $"Host={Host}",
            "-CAfile", root, "-no_nonce");
        Assert.Contains("Response verify OK", ocsp, StringComparison.Ordinal);
        Assert.Contains($"{leaf}: good", ocsp, StringComparison.Ordinal);
    }

    /// <summary>nginx in the foreground with its own prefix, running deploy/nginx/segel.conf with the test's name, ports and files.</summary>
    private Process StartNginx(int app, int https, int http, string chain, string key)
    {
        string shipped = File.ReadAllText(Path.Combine(Segel.RepositoryRoot, "deploy", "nginx", "segel.conf"));
        string site = Replace(shipped, ("pki.tanahbumbukab.go.id", Host), ("listen 443 ssl;", $"listen 127.0.0.1:{https} ssl;"),
            ("listen 80;", $"listen 127.0.0.1:{http};"), ("http://127.0.0.1:8080", $"http://127.0.0.1:{app}"),
            ("/etc/ssl/segel/chain.pem", chain), ("/etc/ssl/segel/key.pem", key));
        string prefix = _dir.File("nginx");
        Directory.CreateDirectory(prefix);
        _dir.Write("nginx/segel.conf", site);
        // As root, nginx's workers run as nobody unless told otherwise, and could not enter the test's private folder.
        string user = Environment.UserName == "root" ? "user root;" : "";
        string main = _dir.Write("nginx/nginx.conf", $$"""
            {{user}}
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log;
            events { worker_connections 64; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/segel.conf;
            }
            """);
        string[] common = ["-p", prefix, "-c", main, "-e", Path.Combine(prefix, "error.log")];
        string[] test = [.. common, "-t"];
        Tool.Result check = Tool.Run(Nginx, test);
        Assert.True(check.ExitCode == 0, check.Output);
        var info = new ProcessStartInfo(Nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])[.. common, "-g", "daemon off;"])
        {
            info.ArgumentList.Add(a);
        }
        _nginx = Process.Start(info)!;
        return _nginx;
    }

    private static string Nginx => File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";

    private static string Replace(string text, params (string From, string To)[] changes)
    {
        foreach ((string from, string to) in changes)
        {
            // The shipped file must still have what the test changes; otherwise the test would run something else.
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        return text;
    }

    private static async Task WaitForPortAsync(int port, Process nginx)
    {
        for (int i = 0; i < 100; i++)
        {
            Assert.False(nginx.HasExited, "nginx stopped: " + await nginx.StandardError.ReadToEndAsync());
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Fail($"nginx did not listen on {port}");
    }

    /// <summary>An HTTP client that trusts only the regency's root and reaches the test host name on loopback.</summary>
    private static HttpClient Client(string root)
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(root);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(trust);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit();
        }
        _nginx?.Dispose();
        _dir.Dispose();
    }
}
