using Segel.Pki.Keys;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>`segel` with its CA keys in an HSM, configured as an operator would: module, token, PIN file.</summary>
public sealed class HsmTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Segel_init_puts_the_ca_keys_on_the_token_and_issues_with_them()
    {
        Pkcs11Options token = SoftHsm.Token;
        string pinFile = _dir.Write("pin.txt", token.Pin + "\n");
        var environment = new Dictionary<string, string?>
        {
            ["SOFTHSM2_CONF"] = SoftHsm.ConfigFile,
            ["SEGEL_Ca__Pkcs11Library"] = token.Library,
            ["SEGEL_Ca__Pkcs11Token"] = token.Token,
            ["SEGEL_Ca__Pkcs11PinFile"] = pinFile,
        };
        string data = _dir.File("ca");
        Tool.Result init = Segel.Run(_dir.Path, environment, "init", "--data", data);
        Assert.True(init.ExitCode == 0, init.Output);
        Assert.True(Segel.Run(_dir.Path, environment, "ca", "chain", "--data", data, "--out", _dir.File("chain.pem")).ExitCode == 0);
        _dir.Write("pw.txt", "kata-sandi-rahasia");
        Segel.Register(_dir.Path, data, environment, ("Siti Aminah", "siti@tanahbumbukab.go.id"));
        Tool.Result issue = Segel.Run(_dir.Path, environment, ["cert", "issue", "--data", data, .. Staff.IssueArguments("siti@tanahbumbukab.go.id"),
            "--p12", _dir.File("siti.p12"), "--password-file", _dir.File("pw.txt")]);
        Assert.True(issue.ExitCode == 0, issue.Output);
        Tool.OpenSslOk("pkcs12", "-in", _dir.File("siti.p12"), "-passin", "pass:kata-sandi-rahasia", "-nokeys", "-clcerts", "-out", _dir.File("siti.pem"));
        Assert.Contains("siti.pem: OK", Tool.OpenSslOk("verify", "-CAfile", _dir.File("chain.pem"), _dir.File("siti.pem")), StringComparison.Ordinal);
        // Nothing of the CA's private keys is in the database: they have no sealed form.
        Assert.DoesNotContain("soft:", File.ReadAllText(Path.Combine(data, "segel.json")) + string.Join("", Directory.GetFiles(data, "*.db").Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f)))), StringComparison.Ordinal);

        // A wrong PIN is one plain line and a non-zero exit.
        _dir.Write("pin.txt", "salah\n");
        Tool.Result refused = Segel.Run(_dir.Path, environment, "ca", "chain", "--data", data, "--out", _dir.File("x.pem"));
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public void With_the_master_key_on_the_token_no_master_key_file_exists_and_every_process_derives_the_same_keys()
    {
        Pkcs11Options token = SoftHsm.Token;
        var environment = new Dictionary<string, string?>
        {
            ["SOFTHSM2_CONF"] = SoftHsm.ConfigFile,
            ["SEGEL_Ca__Pkcs11Library"] = token.Library,
            ["SEGEL_Ca__Pkcs11Token"] = token.Token,
            ["SEGEL_PKCS11_PIN"] = token.Pin,
            ["SEGEL_Ca__Pkcs11MasterKey"] = "true",
        };
        string data = _dir.File("hsm-master");
        Tool.Result init = Segel.Run(_dir.Path, environment, "init", "--data", data);
        Assert.True(init.ExitCode == 0, init.Output);
        Assert.False(File.Exists(Path.Combine(data, "master.key")));
        _dir.Write("pw2.txt", "kata-sandi-rahasia");
        Segel.Register(_dir.Path, data, environment, ("Rahmat Hidayat", "rahmat@tanahbumbukab.go.id"));
        Tool.Result issue = Segel.Run(_dir.Path, environment, ["cert", "issue", "--data", data, .. Staff.IssueArguments("rahmat@tanahbumbukab.go.id"),
            "--p12", _dir.File("rahmat.p12"), "--password-file", _dir.File("pw2.txt")]);
        Assert.True(issue.ExitCode == 0, issue.Output);
        // Another process re-derives the audit chain's key on the token: the record written by the first is intact.
        Tool.Result audit = Segel.Run(_dir.Path, environment, "audit", "verify", "--data", data);
        Assert.True(audit.ExitCode == 0, audit.Output);
        // Without the HSM setting the same folder does not open: the key is nowhere else.
        environment["SEGEL_Ca__Pkcs11MasterKey"] = "false";
        Assert.NotEqual(0, Segel.Run(_dir.Path, environment, "audit", "verify", "--data", data).ExitCode);
    }

    public void Dispose() => _dir.Dispose();
}
