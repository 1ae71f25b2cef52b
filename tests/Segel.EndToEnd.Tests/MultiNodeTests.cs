using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>How Segel scales: several <c>segel serve</c> processes on one PostgreSQL database.</summary>
public sealed class MultiNodeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Two_servers_on_one_postgres_issue_and_revoke_concurrently_without_duplicates_or_lost_revocations()
    {
        string connection = TestDatabase.Create("postgres", _dir.Path).ConnectionString!;
        var env = new Dictionary<string, string?>
        {
            ["SEGEL_MASTER_KEY"] = MasterKey.Generate().ToBase64(),
            ["SEGEL_ADMIN_TOKEN"] = "test-operator-token",
        };
        string a = _dir.File("node-a"), b = _dir.File("node-b");
        Tool.Result init = Segel.Run(_dir.Path, env, "init", "--data", a, "--db-provider", "postgres", "--db", connection,
            "--root-algorithm", "ecdsa-p384", "--issuing-algorithm", "ecdsa-p256");
        Assert.True(init.ExitCode == 0, init.Output);
        Directory.CreateDirectory(b);
        File.Copy(Path.Combine(a, "segel.json"), Path.Combine(b, "segel.json"));
        Assert.False(File.Exists(Path.Combine(a, "master.key")), "with SEGEL_MASTER_KEY set, no key file is written");

        await using ServerProcess nodeA = Segel.Serve(_dir.Path, env, "--data", a);
        await using ServerProcess nodeB = Segel.Serve(_dir.Path, env, "--data", b);
        await Task.WhenAll(nodeA.WaitUntilReadyAsync(), nodeB.WaitUntilReadyAsync());
        ServerProcess[] nodes = [nodeA, nodeB];

        Segel.Register(_dir.Path, a, env, [.. Enumerable.Range(0, 20).Select(i => ($"Pegawai {i}", $"pegawai{i}@tanahbumbukab.go.id")), ("Dian", "dian@tanahbumbukab.go.id")]);

        // 20 certificates on each node at once.
        string[][] serials = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            using HttpClient client = Client(node);
            var mine = new List<string>();
            for (int i = 0; i < 20; i++)
            {
                HttpResponseMessage response = await client.PostAsJsonAsync("/api/v1/certificates", new { csr = Csr($"Pegawai {i}"), nip = Staff.Nip($"pegawai{i}@tanahbumbukab.go.id"), reason = Staff.Reason });
                Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                mine.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("serial").GetString()!);
            }
            return mine.ToArray();
        })));
        Assert.Equal(40, serials.SelectMany(s => s).Distinct().Count());

        // Each node revokes half of the other's certificates, at the same time.
        await Task.WhenAll(nodes.Select((node, n) => Task.Run(async () =>
        {
            using HttpClient client = Client(node);
            foreach (string serial in serials[1 - n].Where((_, i) => i % 2 == 0))
            {
                HttpResponseMessage response = await client.PostAsJsonAsync($"/api/v1/certificates/{serial}/revocation", new { reason = "affiliationChanged" });
                Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            }
        })));

        string[] revoked = serials.SelectMany(s => s.Where((_, i) => i % 2 == 0)).ToArray();
        foreach (ServerProcess node in nodes)
        {
            using HttpClient client = Client(node);
            _dir.Write("crl.der", await client.GetByteArrayAsync("/crl/issuing-ca.crl"));
            string text = Tool.OpenSslOk("crl", "-inform", "DER", "-in", _dir.File("crl.der"), "-noout", "-text");
            Assert.All(revoked, serial => Assert.Contains(serial, text, StringComparison.Ordinal));
        }

        // A revocation on node A shows in node B's OCSP answer on the very next request, though B had it cached as good.
        using HttpClient clientA = Client(nodeA);
        HttpResponseMessage created = await clientA.PostAsJsonAsync("/api/v1/certificates", new { csr = Csr("Dian"), nip = Staff.Nip("dian@tanahbumbukab.go.id"), reason = Staff.Reason });
        JsonElement dian = await created.Content.ReadFromJsonAsync<JsonElement>();
        string cert = _dir.Write("dian.pem", dian.GetProperty("pem").GetString()!);
        string chain = _dir.Write("chain.pem", await clientA.GetStringAsync("/ca/chain.pem"));
        string issuing = _dir.Write("issuing.pem", await clientA.GetStringAsync("/ca/issuing-ca.pem"));
        string[] ocspAtB = ["ocsp", "-issuer", issuing, "-cert", cert, "-url", nodeB.Url + "/ocsp", "-CAfile", chain, "-no_nonce"];
        Assert.Contains(": good", Tool.OpenSslOk(ocspAtB), StringComparison.Ordinal);
        Assert.Contains(": good", Tool.OpenSslOk(ocspAtB), StringComparison.Ordinal);
        HttpResponseMessage revoke = await clientA.PostAsJsonAsync($"/api/v1/certificates/{dian.GetProperty("serial").GetString()}/revocation", new { reason = "keyCompromise" });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        string after = Tool.OpenSslOk(ocspAtB);
        Assert.Contains("Response verify OK", after, StringComparison.Ordinal);
        Assert.Contains(": revoked", after, StringComparison.Ordinal);

        // Behind a load balancer a form comes from one node and goes back to another: the nodes share the keys that
        // protect the portal's anti-forgery tokens (kept in the database, sealed under the master key).
        Assert.Equal("refused", await SignInAcrossAsync(nodeA, nodeB));
        Assert.Equal("refused", await SignInAcrossAsync(nodeB, nodeA));
    }

    /// <summary>
    /// Fetches the sign-in form from one node and sends it, with a wrong password, to the other: "refused" when that node
    /// took the form and refused the password (the page again), else the status and body of its answer.
    /// </summary>
    private static async Task<string> SignInAcrossAsync(ServerProcess from, ServerProcess to)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var client = new HttpClient(handler);
        string html = await client.GetStringAsync(from.Url + "/masuk");
        string token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        // The cookie was set for the first node's address; the second listens on the same host, another port.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = "tidak.ada", ["Password"] = "salah-sekali", ["__RequestVerificationToken"] = token });
        HttpResponseMessage answer = await client.PostAsync(to.Url + "/masuk", form);
        string body = await answer.Content.ReadAsStringAsync();
        return answer.StatusCode == HttpStatusCode.BadRequest && body.Contains("name=\"Username\"", StringComparison.Ordinal) ? "refused" : $"{answer.StatusCode} {body}";
    }

    private static HttpClient Client(ServerProcess node)
    {
        HttpClient client = node.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-operator-token");
        return client;
    }

    private static string Csr(string name)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={name}", key, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    public void Dispose() => _dir.Dispose();
}
