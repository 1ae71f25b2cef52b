using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// <c>segel cert verify</c> (issue 21.4) on a hierarchy nobody here wrote the code for: an outside root, issuing CA,
/// holders and CRLs made by <c>openssl req</c>, <c>openssl x509</c> and <c>openssl ca</c>; OpenSSL's own <c>verify</c>
/// agrees on every path that follows RFC 5280's profile, and Segel is stricter where the profile says MUST (an
/// end-entity certificate asserting keyCertSign, which OpenSSL lets through).
/// </summary>
public sealed class CertVerifyCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private const string Extensions = """
        [ca]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [holder]
        basicConstraints = CA:FALSE
        keyUsage = critical, digitalSignature
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [careless]
        keyUsage = critical, digitalSignature, keyCertSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        """;

    private string F(string name) => _dir.File(name);

    private void Certificate(string name, string subject, string issuer, string section, string serial)
    {
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F(name + ".key"), "-out", F(name + ".csr"), "-subj", subject);
        Tool.OpenSslOk("x509", "-req", "-in", F(name + ".csr"), "-CA", F(issuer + ".pem"), "-CAkey", F(issuer + ".key"), "-set_serial", serial,
            "-days", "700", "-sha256", "-extfile", F("ext.cnf"), "-extensions", section, "-out", F(name + ".pem"));
    }

    /// <summary>A CRL from <paramref name="issuer"/>, naming <paramref name="revoked"/> (openssl ca keeps its own small database).</summary>
    private void Crl(string issuer, params string[] revoked)
    {
        string db = F(issuer + "-db");
        Directory.CreateDirectory(db);
        File.WriteAllText(Path.Combine(db, "index.txt"), "");
        File.WriteAllText(Path.Combine(db, "crlnumber"), "01\n");
        File.WriteAllText(F(issuer + "-ca.cnf"), $"""
            [ca]
            default_ca = this
            [this]
            database = {db}/index.txt
            crlnumber = {db}/crlnumber
            default_md = sha256
            default_crl_days = 30
            crl_extensions = crl_ext
            [crl_ext]
            authorityKeyIdentifier = keyid
            """);
        foreach (string name in revoked)
        {
            Tool.OpenSslOk("ca", "-config", F(issuer + "-ca.cnf"), "-keyfile", F(issuer + ".key"), "-cert", F(issuer + ".pem"), "-revoke", F(name + ".pem"), "-crl_reason", "keyCompromise");
        }
        Tool.OpenSslOk("ca", "-config", F(issuer + "-ca.cnf"), "-keyfile", F(issuer + ".key"), "-cert", F(issuer + ".pem"), "-gencrl", "-out", F(issuer + ".crl"));
    }

    private Tool.Result Verify(string leaf, params string[] more) =>
        Segel.Run(_dir.Path, ["cert", "verify", F(leaf + ".pem"), "--trust", F("root.pem"), "--untrusted", F("issuing.pem"),
            "--crl", F("root.crl"), "--crl", F("issuing.crl"), "--offline", .. more]);

    private Tool.Result OpenSslVerify(string leaf) =>
        Tool.OpenSsl("verify", "-CAfile", F("root.pem"), "-untrusted", F("issuing.pem"), "-crl_check_all", "-CRLfile", F("root.crl"), "-CRLfile", F("issuing.crl"), F(leaf + ".pem"));

    [Fact]
    public void Certificates_under_an_outside_root_are_judged_as_openssl_judges_them_and_stricter_where_rfc5280_says_must()
    {
        _dir.Write("ext.cnf", Extensions);
        Tool.OpenSslOk("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes", "-keyout", F("root.key"), "-out", F("root.pem"),
            "-subj", "/C=ID/O=Outside National CA/CN=Outside Root", "-days", "3650", "-sha384", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Certificate("issuing", "/C=ID/O=Outside National CA/CN=Outside Issuing CA", "root", "ca", "0x1001");
        Certificate("budi", "/C=ID/O=Pemerintah Kabupaten Tanah Bumbu/CN=Budi Santoso", "issuing", "holder", "0x2001");
        Certificate("siti", "/C=ID/O=Pemerintah Kabupaten Tanah Bumbu/CN=Siti Aminah", "issuing", "holder", "0x2002");
        Certificate("careless", "/C=ID/O=Pemerintah Kabupaten Tanah Bumbu/CN=Careless Holder", "issuing", "careless", "0x2003");
        Crl("root");
        Crl("issuing", "siti");

        // A good holder: valid by both.
        Tool.Result budi = Verify("budi");
        Assert.True(budi.ExitCode == 0, budi.Stdout + budi.Stderr);
        Assert.StartsWith("VALID: ", budi.Stdout, StringComparison.Ordinal);
        Assert.Contains("chain-trusted", budi.Stdout, StringComparison.Ordinal);
        Assert.Contains("revocation-good", budi.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, OpenSslVerify("budi").ExitCode);

        // A revoked holder: refused by both.
        Tool.Result siti = Verify("siti");
        Assert.Equal(8, siti.ExitCode);
        Assert.StartsWith("REVOKED: ", siti.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, OpenSslVerify("siti").ExitCode);

        // An end-entity certificate asserting keyCertSign: OpenSSL lets it through; RFC 5280 §4.2.1.3 says it MUST NOT be.
        Assert.Equal(0, OpenSslVerify("careless").ExitCode);
        Tool.Result careless = Verify("careless");
        Assert.Equal(8, careless.ExitCode);
        Assert.StartsWith("NOT VALID: ", careless.Stdout, StringComparison.Ordinal);
        Assert.Contains("certificate-nonconforming:Careless Holder: an end-entity certificate asserts keyCertSign", careless.Stdout, StringComparison.Ordinal);

        // Before the certificate existed; without the intermediate; as JSON.
        Assert.Equal(8, Verify("budi", "--at", "2001-01-01T00:00:00Z").ExitCode);
        Tool.Result alone = Segel.Run(_dir.Path, "cert", "verify", F("budi.pem"), "--trust", F("root.pem"), "--offline");
        Assert.Equal(8, alone.ExitCode);
        Assert.Contains("chain-not-trusted", alone.Stdout, StringComparison.Ordinal);
        Tool.Result json = Verify("budi", "--json");
        Assert.Equal(0, json.ExitCode);
        using (var report = System.Text.Json.JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal("valid", report.RootElement.GetProperty("verdict").GetString());
            Assert.Contains(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetString() == "chain-trusted:Outside Root");
        }

        // Bad input: one line and a non-zero exit.
        Tool.Result badTime = Verify("budi", "--at", "kemarin");
        Assert.Equal(2, badTime.ExitCode);
        Assert.Contains("'kemarin' is not a time", badTime.Stderr, StringComparison.Ordinal);
        _dir.Write("not-a-crl.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Assert.Equal(2, Segel.Run(_dir.Path, "cert", "verify", F("budi.pem"), "--trust", F("root.pem"), "--crl", F("not-a-crl.pem"), "--offline").ExitCode);
        Assert.Equal(2, Segel.Run(_dir.Path, "cert", "verify", F("ext.cnf"), "--trust", F("root.pem"), "--offline").ExitCode);
    }

    [Fact]
    public void Segels_own_certificates_pass_the_strict_profile()
    {
        string data = F("ca");
        Segel.Ok(_dir.Path, "init", "--data", data, "--root-algorithm", "ecdsa-p384", "--issuing-algorithm", "ecdsa-p256");
        Segel.Ok(_dir.Path, "ca", "chain", "--data", data, "--out", F("chain.pem"));
        Segel.Register(_dir.Path, data, null, ("Rahmat Hidayat", "rahmat@tanahbumbukab.go.id"));
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F("k.pem"), "-out", F("r.csr"), "-subj", "/CN=Rahmat Hidayat");
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", data, "--csr", F("r.csr"), "--out", F("rahmat.pem"), .. Staff.IssueArguments("rahmat@tanahbumbukab.go.id")]);

        // Revocation from the data folder: Segel's own OCSP answers, at the same rules as anyone's certificate.
        Tool.Result valid = Segel.Run(_dir.Path, "cert", "verify", F("rahmat.pem"), "--trust", F("chain.pem"), "--untrusted", F("chain.pem"), "--data", data);
        Assert.True(valid.ExitCode == 0, valid.Stdout + valid.Stderr);
        Assert.DoesNotContain("nonconforming", valid.Stdout, StringComparison.Ordinal);
        string serial = Tool.OpenSslOk("x509", "-in", F("rahmat.pem"), "-noout", "-serial").Trim().Split('=')[1];
        Segel.Ok(_dir.Path, "cert", "revoke", "--data", data, "--serial", serial, "--reason", "keyCompromise");
        Tool.Result revoked = Segel.Run(_dir.Path, "cert", "verify", F("rahmat.pem"), "--trust", F("chain.pem"), "--untrusted", F("chain.pem"), "--data", data);
        Assert.Equal(8, revoked.ExitCode);
        Assert.StartsWith("REVOKED: ", revoked.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_letter_signed_under_an_outside_root_verifies_once_that_root_is_a_trust_anchor()
    {
        // The outside CA publishes its CRLs over HTTP, as the national CA would; a plain web server serves them here.
        int port = Segel.FreePort();
        _dir.Write("ext.cnf", Extensions + $$"""

            [served_ca]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            crlDistributionPoints = URI:http://127.0.0.1:{{port}}/root.crl
            [served_holder]
            basicConstraints = CA:FALSE
            keyUsage = critical, digitalSignature, nonRepudiation
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            crlDistributionPoints = URI:http://127.0.0.1:{{port}}/issuing.crl
            """);
        Tool.OpenSslOk("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes", "-keyout", F("root.key"), "-out", F("root.pem"),
            "-subj", "/C=ID/O=Outside National CA/CN=Outside Root", "-days", "3650", "-sha384", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Certificate("issuing", "/C=ID/O=Outside National CA/CN=Outside Issuing CA", "root", "served_ca", "0x1001");
        Certificate("budi", "/C=ID/O=Pemerintah Kabupaten Tanah Bumbu/CN=Budi Santoso", "issuing", "served_holder", "0x2001");
        Crl("root");
        Crl("issuing");
        Directory.CreateDirectory(F("served"));
        Tool.OpenSslOk("crl", "-in", F("root.crl"), "-outform", "DER", "-out", Path.Combine(F("served"), "root.crl"));
        Tool.OpenSslOk("crl", "-in", F("issuing.crl"), "-outform", "DER", "-out", Path.Combine(F("served"), "issuing.crl"));
        Tool.OpenSslOk("pkcs12", "-export", "-inkey", F("budi.key"), "-in", F("budi.pem"), "-certfile", F("issuing.pem"), "-out", F("budi.p12"), "-passout", "pass:sandi-p12-luar");
        _dir.Write("pw.txt", "sandi-p12-luar\n");
        File.WriteAllBytes(F("surat.pdf"), SamplePdf.Letter());
        Segel.Ok(_dir.Path, "pdf", "sign", "--in", F("surat.pdf"), "--out", F("surat-ttd.pdf"), "--p12", F("budi.p12"), "--password-file", F("pw.txt"));

        string data = F("ca");
        Segel.Ok(_dir.Path, "init", "--data", data, "--root-algorithm", "ecdsa-p384", "--issuing-algorithm", "ecdsa-p256");
        Segel.Ok(_dir.Path, "ca", "chain", "--data", data, "--out", F("chain.pem"));
        using var web = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3",
            ["-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--directory", F("served")])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            for (int i = 0; i < 100 && !Listening(port); i++)
            {
                Thread.Sleep(100);
            }

            // Segel's own roots alone: the letter's chain reaches none of them.
            Tool.Result before = Segel.Run(_dir.Path, "pdf", "verify", F("surat-ttd.pdf"), "--trust", F("chain.pem"), "--data", data, "--lang", "en");
            Assert.Equal(8, before.ExitCode);
            Assert.Contains("does not reach a trusted root", before.Stdout, StringComparison.Ordinal);

            // The installation trusts the outside root: the same letter is valid, its revocation fetched from the outside CA,
            // and the report names the root it chains to.
            File.Copy(F("root.pem"), Path.Combine(data, "outside-root.pem"));
            SetTrustAnchors(data, "outside-root.pem");
            Tool.Result after = Segel.Run(_dir.Path, "pdf", "verify", F("surat-ttd.pdf"), "--trust", F("chain.pem"), "--data", data, "--lang", "en");
            Assert.True(after.ExitCode == 0, after.Stdout + after.Stderr);
            Assert.Contains("the certificate chain reaches a trusted root (Outside Root)", after.Stdout, StringComparison.Ordinal);
            Assert.Contains("chain-trusted:Outside Root", Segel.Ok(_dir.Path, "cert", "verify", F("budi.pem"), "--trust", F("chain.pem"),
                "--untrusted", F("issuing.pem"), "--data", data).Stdout, StringComparison.Ordinal);

            // The public page, which anyone holding the letter uses, says the same.
            await using (ServerProcess server = Segel.Serve(_dir.Path, null, "--data", data))
            {
                await server.WaitUntilReadyAsync();
                using HttpClient client = server.Client();
                using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(F("surat-ttd.pdf"))), "file", "surat-ttd.pdf" } };
                HttpResponseMessage page = await client.PostAsync("/verify", form);
                string html = await page.Content.ReadAsStringAsync();
                Assert.True(page.IsSuccessStatusCode, html);
                Assert.Contains("sampai ke akar tepercaya (Outside Root)", html, StringComparison.Ordinal);
            }
        }
        finally
        {
            web.Kill();
        }

        // A trust anchor that is not a CA's certificate is refused at once, in one line.
        File.Copy(F("budi.pem"), Path.Combine(data, "not-a-root.pem"));
        SetTrustAnchors(data, "not-a-root.pem");
        Tool.Result refused = Segel.Run(_dir.Path, "cert", "list", "--data", data);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is not a CA certificate; a trust anchor must be one", refused.Stderr, StringComparison.Ordinal);
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static void SetTrustAnchors(string data, string file)
    {
        string configFile = Path.Combine(data, "segel.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configFile))!.AsObject();
        config["TrustAnchors"] = new System.Text.Json.Nodes.JsonArray(file);
        File.WriteAllText(configFile, config.ToJsonString());
    }

    public void Dispose() => _dir.Dispose();
}
