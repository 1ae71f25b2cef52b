using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// <c>segel ca renew</c> (issue 21.5) as an operator runs it: a new issuing CA and a new root now, and OpenSSL's own
/// <c>verify</c> on certificates from before and after, against the chain each was issued under.
/// </summary>
public sealed class RolloverCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string F(string name) => _dir.File(name);

    private string Data => F("ca");

    public void Dispose() => _dir.Dispose();

    private string Issue(string name)
    {
        string email = name + "@tanahbumbukab.go.id";
        Segel.Register(_dir.Path, Data, null, (name, email));
        Tool.OpenSslOk("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", F(name + ".key"), "-out", F(name + ".csr"), "-subj", "/CN=" + name);
        Segel.Ok(_dir.Path, ["cert", "issue", "--data", Data, "--csr", F(name + ".csr"), "--out", F(name + ".pem"), .. Staff.IssueArguments(email)]);
        return F(name + ".pem");
    }

    private static string Leaf(string chain) => chain[..(chain.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal) + 25)] + "\n";

    [Fact]
    public async Task Issuing_CA_and_root_roll_over_on_demand_and_what_came_before_still_verifies()
    {
        Segel.Ok(_dir.Path, "init", "--data", Data, "--root-algorithm", "ecdsa-p256", "--issuing-algorithm", "ecdsa-p256");
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", F("chain-1.pem"));
        string before = Issue("sebelum");

        Assert.Contains("Segel Issuing CA G2", Segel.Ok(_dir.Path, "ca", "renew", "--data", Data, "--issuer", "issuing-ca").Stdout, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", F("chain-2.pem"));
        string after = Issue("sesudah");
        Assert.NotEqual(Tool.OpenSslOk("x509", "-in", before, "-noout", "-issuer_hash"), Tool.OpenSslOk("x509", "-in", after, "-noout", "-issuer_hash"));
        string root = F("root.pem");
        string chain1 = File.ReadAllText(F("chain-1.pem")), chain2 = File.ReadAllText(F("chain-2.pem"));
        File.WriteAllText(root, chain1[chain1.LastIndexOf("-----BEGIN", StringComparison.Ordinal)..]);
        File.WriteAllText(F("issuing-1.pem"), Leaf(chain1));
        File.WriteAllText(F("issuing-2.pem"), Leaf(chain2));
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-x509_strict", "-CAfile", root, "-untrusted", F("issuing-1.pem"), before), StringComparison.Ordinal);
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-x509_strict", "-CAfile", root, "-untrusted", F("issuing-2.pem"), after), StringComparison.Ordinal);

        // A new root: a relying party that trusts only the old one reaches the new through the link certificate.
        Assert.Contains("New root-ca: root-ca-", Segel.Ok(_dir.Path, "ca", "renew", "--data", Data, "--issuer", "root-ca").Stdout, StringComparison.Ordinal);
        Assert.Contains("Segel Issuing CA G3", Segel.Ok(_dir.Path, "ca", "renew", "--data", Data, "--issuer", "issuing-ca").Stdout, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "ca", "chain", "--data", Data, "--out", F("chain-3.pem"));
        string latest = Issue("terbaru");
        string status = Segel.Ok(_dir.Path, "ca", "status", "--data", Data).Stdout;
        string link = status.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(p => p.Length > 1 && p[0].EndsWith("-new-with-old", StringComparison.Ordinal))[0];
        string chain3 = File.ReadAllText(F("chain-3.pem"));
        File.WriteAllText(F("issuing-3.pem"), Leaf(chain3));
        File.WriteAllText(F("root-2.pem"), chain3[chain3.LastIndexOf("-----BEGIN", StringComparison.Ordinal)..]);
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-x509_strict", "-CAfile", F("root-2.pem"), "-untrusted", F("issuing-3.pem"), latest), StringComparison.Ordinal);
        // The old root's certificate for the new root's key, as the server publishes it.
        await using (ServerProcess server = Segel.Serve(_dir.Path, null, "--data", Data))
        {
            await server.WaitUntilReadyAsync();
            using HttpClient http = server.Client();
            File.WriteAllBytes(F("link.der"), await http.GetByteArrayAsync($"/ca/{link}.crt"));
        }
        Tool.OpenSslOk("x509", "-in", F("link.der"), "-inform", "DER", "-out", F("link.pem"));
        File.WriteAllText(F("via-link.pem"), File.ReadAllText(F("issuing-3.pem")) + File.ReadAllText(F("link.pem")));
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-x509_strict", "-CAfile", root, "-untrusted", F("via-link.pem"), latest), StringComparison.Ordinal);
        // And what came first still verifies under the old root.
        Assert.Contains(": OK", Tool.OpenSslOk("verify", "-x509_strict", "-CAfile", root, "-untrusted", F("issuing-1.pem"), before), StringComparison.Ordinal);

        Tool.Result wrong = Segel.Run(_dir.Path, "ca", "renew", "--data", Data, "--issuer", "tsa");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("issuing-ca or root-ca", wrong.Stderr, StringComparison.Ordinal);
    }
}
