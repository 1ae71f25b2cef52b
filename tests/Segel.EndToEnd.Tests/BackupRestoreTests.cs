using System.Net;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Backup and restore as an operator lives it: a backup taken while the CA serves, a revocation after it, the backup
/// restored elsewhere — which refuses to serve until it has caught up from the running CA's CRLs, and then answers
/// "revoked" over OCSP (checked by openssl) and numbers its next CRL past every one the CA published.
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_restored_ca_never_unrevokes_and_never_reuses_a_crl_number(string provider)
    {
        string original = _dir.File("ca"), restored = _dir.File("restored");
        string[] database = provider == "postgres" ? ["--db-provider", "postgres", "--db", TestDatabase.Create("postgres", _dir.Path).ConnectionString!] : [];
        Segel.Ok(_dir.Path, ["init", "--data", original, "--root-algorithm", "ecdsa-p384", "--issuing-algorithm", "ecdsa-p256", .. database]);
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _dir.File("k.pem"), "-out", _dir.File("r.csr"), "-subj", "/CN=Rahmat Hidayat");
        Segel.Register(_dir.Path, original, null, ("Rahmat Hidayat", "rahmat@tanahbumbukab.go.id"));
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", original, "--csr", _dir.File("r.csr"), "--out", _dir.File("c.pem"), .. Staff.IssueArguments("rahmat@tanahbumbukab.go.id")]);
        string serial = Tool.OpenSslOk("x509", "-in", _dir.File("c.pem"), "-noout", "-serial").Trim().Split('=')[1];
        Segel.Ok(_dir.Path, "ca", "chain", "--data", original, "--out", _dir.File("chain.pem"));
        string chain = File.ReadAllText(_dir.File("chain.pem"));
        _dir.Write("issuing.pem", chain[..(chain.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal) + 25)]);

        await using (ServerProcess running = Segel.Serve(_dir.Path, null, "--data", original))
        {
            await running.WaitUntilReadyAsync();
            // Taken while the CA serves; then the holder's key is compromised and the certificate revoked.
            string backedUp = Segel.Ok(_dir.Path, "backup", "--data", original, "--out", _dir.File("segel-backup.zip")).Stdout;
            Assert.Contains("NOT in it", backedUp, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("segel-backup.zip")));
            }
            Segel.Ok(_dir.Path, "cert", "revoke", "--data", original, "--serial", serial, "--reason", "keyCompromise");
            byte[] published = await running.Client().GetByteArrayAsync("/crl/issuing-ca.crl");
            long publishedNumber = CrlNumber(_dir.Write("published.crl", published));

            // Restored elsewhere: the key must be the one that made it; and until it has caught up, nothing serves.
            string[] restoreInto = provider == "postgres" ? ["--db", TestDatabase.Create("postgres", _dir.Path).ConnectionString!] : [];
            _dir.Write("other.key", global::Segel.Pki.Keys.MasterKey.Generate().ToBase64());
            Tool.Result wrongKey = Segel.Run(_dir.Path, ["restore", "--in", _dir.File("segel-backup.zip"), "--data", _dir.File("elsewhere"), "--master-key-file", _dir.File("other.key"), .. restoreInto]);
            Assert.Equal(6, wrongKey.ExitCode);
            Assert.Contains("did not make the backup", wrongKey.Stderr, StringComparison.Ordinal);
            Segel.Ok(_dir.Path, ["restore", "--in", _dir.File("segel-backup.zip"), "--data", restored, "--master-key-file", Path.Combine(original, "master.key"), .. restoreInto]);
            Tool.Result refused = Segel.Within(_dir.Path, TimeSpan.FromSeconds(60), "serve", "--data", restored, "--urls", $"http://127.0.0.1:{Segel.FreePort()}");
            Assert.Equal(7, refused.ExitCode);
            Assert.Contains("restored from a backup", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(7, Segel.Run(_dir.Path, "crl", "--data", restored, "--out", _dir.File("x.crl"), "--publish").ExitCode);

            // It learns from the running CA's published CRLs.
            string caughtUp = Segel.Ok(_dir.Path, "restore", "--data", restored, "--crl-from", running.Url).Stdout;
            Assert.Contains("1 revoked again here", caughtUp, StringComparison.Ordinal);
        }

        await using ServerProcess successor = Segel.Serve(_dir.Path, null, "--data", restored);
        await successor.WaitUntilReadyAsync();
        string ocsp = Tool.OpenSsl("ocsp", "-issuer", _dir.File("issuing.pem"), "-cert", _dir.File("c.pem"), "-url", successor.Url + "/ocsp", "-CAfile", _dir.File("chain.pem")).Output;
        Assert.Contains(": revoked", ocsp, StringComparison.Ordinal);
        Assert.Contains("keyCompromise", ocsp, StringComparison.OrdinalIgnoreCase);
        string next = _dir.Write("next.crl", await successor.Client().GetByteArrayAsync("/crl/issuing-ca.crl"));
        Assert.True(CrlNumber(next) > CrlNumber(_dir.File("published.crl")), "the next CRL is numbered past every one published");
        Assert.Contains(serial, Tool.OpenSslOk("crl", "-inform", "DER", "-in", next, "-noout", "-text"), StringComparison.Ordinal);
        Tool.OpenSslOk("crl", "-inform", "DER", "-in", next, "-CAfile", _dir.File("chain.pem"), "-noout");
        Assert.Equal(HttpStatusCode.OK, (await successor.Client().GetAsync("/health")).StatusCode);
        Assert.Equal(0, Segel.Run(_dir.Path, "audit", "verify", "--data", restored).ExitCode);
    }

    [Fact]
    public void The_master_key_travels_only_sealed_and_only_when_asked()
    {
        string original = _dir.File("ca");
        Segel.Ok(_dir.Path, "init", "--data", original, "--root-algorithm", "ecdsa-p384", "--issuing-algorithm", "ecdsa-p256");
        _dir.Write("pass.txt", "kalimat sandi cadangan 2026\n");
        // The identity provider's client secret stays behind, like the SMTP password.
        string configFile = Path.Combine(original, "segel.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configFile))!.AsObject();
        config["SignOn"] = new System.Text.Json.Nodes.JsonObject { ["Authority"] = "https://sso.example", ["ClientId"] = "segel", ["ClientSecret"] = "rahasia-klien-sso-2026" };
        File.WriteAllText(configFile, config.ToJsonString());
        Assert.Contains("sealed under your passphrase",
            Segel.Ok(_dir.Path, "backup", "--data", original, "--out", _dir.File("b.zip"), "--include-master-key", _dir.File("pass.txt")).Stdout, StringComparison.Ordinal);
        using (System.IO.Compression.ZipArchive zip = System.IO.Compression.ZipFile.OpenRead(_dir.File("b.zip")))
        {
            using var reader = new StreamReader(zip.GetEntry("segel.json")!.Open());
            string kept = reader.ReadToEnd();
            Assert.Contains("https://sso.example", kept, StringComparison.Ordinal);
            Assert.DoesNotContain("rahasia-klien-sso-2026", kept, StringComparison.Ordinal);
        }
        string key = File.ReadAllText(Path.Combine(original, "master.key")).Trim();
        Assert.DoesNotContain(key, System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(_dir.File("b.zip"))), StringComparison.Ordinal);
        Assert.Equal(5, Segel.Run(_dir.Path, "backup", "--data", original, "--out", _dir.File("b.zip")).ExitCode); // never overwritten

        _dir.Write("wrong.txt", "bukan kalimat sandinya\n");
        Assert.Equal(2, Segel.Run(_dir.Path, "restore", "--in", _dir.File("b.zip"), "--data", _dir.File("r1"), "--passphrase-file", _dir.File("wrong.txt")).ExitCode);
        Segel.Ok(_dir.Path, "restore", "--in", _dir.File("b.zip"), "--data", _dir.File("r2"), "--passphrase-file", _dir.File("pass.txt"), "--accept-unknown-revocations");
        Assert.Equal(key, File.ReadAllText(Path.Combine(_dir.File("r2"), "master.key")).Trim());
        // Accepting not knowing: the numbers jump far past anything the old CA may have published since.
        Segel.Ok(_dir.Path, "crl", "--data", _dir.File("r2"), "--out", _dir.File("r2.crl"));
        Assert.True(CrlNumber(_dir.File("r2.crl")) > 100_000);
        Assert.Equal(5, Segel.Run(_dir.Path, "restore", "--in", _dir.File("b.zip"), "--data", _dir.File("r2"), "--passphrase-file", _dir.File("pass.txt")).ExitCode);
    }

    private static long CrlNumber(string file)
    {
        string text = Tool.OpenSslOk("crl", "-inform", "DER", "-in", file, "-noout", "-crlnumber").Trim();
        return Convert.ToInt64(text.Split('=')[1], 16);
    }

    public void Dispose() => _dir.Dispose();
}
