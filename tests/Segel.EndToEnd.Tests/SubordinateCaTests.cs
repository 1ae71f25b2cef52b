using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Segel under an outside root (issue 21.1), the way it stands under the national CA: the root is made by
/// <c>openssl req -x509</c>, signs Segel's request with <c>openssl x509 -req</c>, and OpenSSL's own <c>verify</c>,
/// <c>ocsp</c>, <c>ts -verify</c> and <c>crl</c> check that what Segel then issues, answers and stamps chains to it.
/// </summary>
public sealed class SubordinateCaTests : IDisposable
{
    private const string Extensions = """
        [ca]
        basicConstraints = critical, CA:TRUE, pathlen:0
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [holder]
        basicConstraints = CA:FALSE
        keyUsage = critical, digitalSignature
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        """;

    private readonly TempDirectory _dir = new();

    private string F(string name) => _dir.File(name);

    private string Data => F("ca");

    public void Dispose() => _dir.Dispose();

    private void OutsideSigns(string csr, string section, string output, string serial) =>
        Tool.OpenSslOk("x509", "-req", "-in", csr, "-CA", F("root.pem"), "-CAkey", F("root.key"), "-set_serial", serial, "-days", "3650", "-sha256",
            "-extfile", F("ext.cnf"), "-extensions", section, "-out", output);

    private static void AssertRefused(Tool.Result result, string expected)
    {
        Assert.NotEqual(0, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.Output);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_an_outside_root_every_certificate_OCSP_answer_CRL_and_time_stamp_chains_to_it()
    {
        File.WriteAllText(F("ext.cnf"), Extensions);
        Tool.OpenSslOk("req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", F("root.key"), "-out", F("root.pem"), "-days", "7300", "-sha256",
            "-subj", "/C=ID/O=Balai Sertifikasi Elektronik Uji/CN=Root CA Uji", "-addext", "basicConstraints=critical,CA:true",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-addext", "subjectKeyIdentifier=hash");

        // `segel init --external-root`: a key and a request, no root of its own; nothing issues until the certificate comes.
        Assert.Contains("waits for its certificate", Segel.Ok(_dir.Path, "init", "--data", Data, "--external-root", "--csr", F("issuing.csr")).Stdout, StringComparison.Ordinal);
        Assert.Contains("verify OK", Tool.OpenSsl("req", "-in", F("issuing.csr"), "-verify", "-noout").Output, StringComparison.Ordinal);
        Assert.Contains("CA:TRUE", Tool.OpenSslOk("req", "-in", F("issuing.csr"), "-noout", "-text"), StringComparison.Ordinal);
        AssertRefused(Segel.Run(_dir.Path, "ca", "chain", "--data", Data, "--out", F("early.pem")), "segel ca install");
        Assert.Contains("waits for its certificate", Segel.Ok(_dir.Path, "ca", "status", "--data", Data).Stdout, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "ca", "csr", "--data", Data, "--out", F("again.csr"));
        Assert.Equal(Tool.OpenSslOk("req", "-in", F("issuing.csr"), "-noout", "-pubkey"), Tool.OpenSslOk("req", "-in", F("again.csr"), "-noout", "-pubkey"));

        // What the install refuses: another key's certificate, an end-entity certificate, a chain without the root.
        Tool.OpenSslOk("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", F("other.key"), "-out", F("other.csr"), "-subj", "/CN=CA Lain");
        OutsideSigns(F("other.csr"), "ca", F("other.pem"), "7");
        AssertRefused(Segel.Run(_dir.Path, "ca", "install", "--data", Data, "--cert", F("other.pem"), "--chain", F("root.pem")), "another key");
        OutsideSigns(F("issuing.csr"), "holder", F("not-a-ca.pem"), "8");
        AssertRefused(Segel.Run(_dir.Path, "ca", "install", "--data", Data, "--cert", F("not-a-ca.pem"), "--chain", F("root.pem")), "not fit for an issuing CA");
        OutsideSigns(F("issuing.csr"), "ca", F("issuing.pem"), "9");
        AssertRefused(Segel.Run(_dir.Path, "ca", "install", "--data", Data, "--cert", F("issuing.pem"), "--chain", F("issuing.pem")), "exactly one root");

        Assert.Contains("Root CA Uji", Segel.Ok(_dir.Path, "ca", "install", "--data", Data, "--cert", F("issuing.pem"), "--chain", F("root.pem")).Stdout,
            StringComparison.Ordinal);
        AssertRefused(Segel.Run(_dir.Path, "ca", "install", "--data", Data, "--cert", F("issuing.pem"), "--chain", F("root.pem")), "No issuing CA waits");
        AssertRefused(Segel.Run(_dir.Path, "ca", "renew", "--data", Data, "--issuer", "issuing-ca"), "outside CA");
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", F("chain.pem"));
        Assert.Equal(2, File.ReadAllText(F("chain.pem")).Split("BEGIN CERTIFICATE").Length - 1);

        // A holder's certificate, and a PKCS#12 with the whole chain: OpenSSL finds the path to the outside root.
        string email = "wulan@tanahbumbukab.go.id";
        Segel.Register(_dir.Path, Data, null, ("Wulan Sari", email));
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F("wulan.key"), "-out", F("wulan.csr"), "-subj", "/CN=Wulan Sari");
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, "--csr", F("wulan.csr"), "--out", F("wulan.pem"), .. Staff.IssueArguments(email)]);
        Assert.Contains("OK", Tool.OpenSslOk("verify", "-CAfile", F("root.pem"), "-untrusted", F("issuing.pem"), "-purpose", "smimesign", F("wulan.pem")), StringComparison.Ordinal);

        await using ServerProcess server = Segel.Serve(_dir.Path, null, "--data", Data);
        await server.WaitUntilReadyAsync();
        using HttpClient http = server.Client();

        // The OCSP responder and TSA certificates chain to the root; so do the answers they sign.
        foreach (string service in new[] { "ocsp-responder", "tsa" })
        {
            await File.WriteAllBytesAsync(F(service + ".crt"), await http.GetByteArrayAsync($"/ca/{service}.crt"));
            Tool.OpenSslOk("x509", "-in", F(service + ".crt"), "-inform", "DER", "-out", F(service + ".pem"));
            Assert.Contains(": OK", Tool.OpenSslOk("verify", "-CAfile", F("root.pem"), "-untrusted", F("issuing.pem"), F(service + ".pem")), StringComparison.Ordinal);
        }
        Tool.Result ocsp = Tool.OpenSsl("ocsp", "-issuer", F("issuing.pem"), "-cert", F("wulan.pem"), "-url", server.Url + "/ocsp", "-CAfile", F("root.pem"),
            "-verify_other", F("issuing.pem"));
        Assert.Contains("Response verify OK", ocsp.Output, StringComparison.Ordinal);
        Assert.Contains(": good", ocsp.Output, StringComparison.Ordinal);

        File.WriteAllText(F("surat.txt"), "Surat edaran Bupati\n");
        Tool.OpenSslOk("ts", "-query", "-data", F("surat.txt"), "-sha256", "-cert", "-out", F("surat.tsq"));
        using (var query = new ByteArrayContent(File.ReadAllBytes(F("surat.tsq"))))
        {
            query.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/timestamp-query");
            HttpResponseMessage stamped = await http.PostAsync("/tsa", query);
            await File.WriteAllBytesAsync(F("surat.tsr"), await stamped.Content.ReadAsByteArrayAsync());
        }
        Assert.Contains("Verification: OK", Tool.OpenSslOk("ts", "-verify", "-data", F("surat.txt"), "-in", F("surat.tsr"), "-CAfile", F("root.pem"),
            "-untrusted", F("issuing.pem")), StringComparison.Ordinal);

        // The issuing CA's CRL is Segel's and verifies under the root; the root's CRL is the outside CA's to publish.
        await File.WriteAllBytesAsync(F("issuing.crl"), await http.GetByteArrayAsync("/crl/issuing-ca.crl"));
        Assert.Contains("verify OK", Tool.OpenSsl("crl", "-in", F("issuing.crl"), "-inform", "DER", "-CAfile", F("chain.pem"), "-noout").Output, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/crl/root-ca.crl")).StatusCode);
    }
}
