using System.Text.Json;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Issue 25.5: a data folder made by the previous release — tag v1.0.0, a demonstration regency with two years of
/// applications, certificates, revocations, custody keys and signatures (<c>scripts/upgrade-fixture.sh</c>) — upgraded
/// by this code: refused until <c>segel migrate</c>, then every certificate and employee that release listed is listed
/// alike, the audit record and the transparency log verify, and the server answers for revoked certificates as before.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private const string Previous = "v1.0.0";
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_data_folder_from_the_previous_release_upgrades_with_every_record_readable_and_its_chains_intact()
    {
        string fixture = Path.Combine(Segel.RepositoryRoot, "tests", "fixtures", "upgrade", $"segel-{Previous}.tar.gz");
        Assert.Equal(0, Tool.Run("tar", "-xzf", fixture, "-C", _dir.Path).ExitCode);
        string data = _dir.File("data"), manifest = _dir.File("manifest");
        Assert.StartsWith(Previous[1..] + "+", File.ReadAllText(Path.Combine(manifest, "version.txt")), StringComparison.Ordinal);

        Tool.Result refused = Segel.Run(_dir.Path, "audit", "verify", "--data", data);
        Assert.Equal(7, refused.ExitCode);
        Assert.Contains("segel migrate", refused.Stderr, StringComparison.Ordinal);
        Segel.Ok(_dir.Path, "migrate", "--data", data, "--backup", _dir.File("before-upgrade.zip"));

        // Read back by this release exactly as the previous one listed them.
        Assert.Equal(Lines(File.ReadAllText(Path.Combine(manifest, "audit-verify.txt"))), Lines(Segel.Ok(_dir.Path, "audit", "verify", "--data", data).Stdout));
        Assert.Equal(Lines(File.ReadAllText(Path.Combine(manifest, "log-verify.txt"))), Lines(Segel.Ok(_dir.Path, "log", "verify", "--data", data).Stdout));
        Assert.Equal(File.ReadAllText(Path.Combine(manifest, "employees.txt")), Segel.Ok(_dir.Path, "employees", "list", "--data", data, "--limit", "500").Stdout);
        // Status is left out: time has passed since the fixture was made, and certificates expire.
        string[] Certificates(string json) => [.. JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(c => $"{c.GetProperty("serial")} {c.GetProperty("profile")} {c.GetProperty("subject")} {c.GetProperty("notAfter")} {c.GetProperty("revokedAt")}")];
        string[] before = Certificates(File.ReadAllText(Path.Combine(manifest, "certificates.json")));
        Assert.True(before.Length > 50, "the fixture holds the demonstration's certificates");
        Assert.Equal(before, Certificates(Segel.Ok(_dir.Path, "cert", "list", "--data", data, "--json", "--limit", "500").Stdout));

        // Served: the newest schema, and a certificate the previous release revoked is revoked to a relying party.
        using JsonDocument listed = JsonDocument.Parse(File.ReadAllText(Path.Combine(manifest, "certificates.json")));
        string revoked = listed.RootElement.EnumerateArray().First(c => c.GetProperty("status").GetString() == "revoked" &&
            c.GetProperty("profile").GetString() == "subscriber").GetProperty("serial").GetString()!;
        string certificate = _dir.Write("revoked.pem", Segel.Ok(_dir.Path, "cert", "show", "--data", data, "--serial", revoked, "--pem").Stdout);
        await using ServerProcess server = Segel.Serve(_dir.Path, null, "--data", data);
        await server.WaitUntilReadyAsync();
        using HttpClient client = server.Client();
        using JsonDocument health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        Assert.Contains("InstitutionalSeals", health.RootElement.GetProperty("schema").GetString(), StringComparison.Ordinal);
        string chain = _dir.Write("chain.pem", await client.GetStringAsync("/ca/chain.pem"));
        string issuing = _dir.Write("issuing.pem", await client.GetStringAsync("/ca/issuing-ca.pem"));
        string ocsp = Tool.OpenSslOk("ocsp", "-issuer", issuing, "-cert", certificate, "-url", server.Url + "/ocsp", "-CAfile", chain, "-no_nonce");
        Assert.Contains("Response verify OK", ocsp, StringComparison.Ordinal);
        Assert.Contains(": revoked", ocsp, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose() => _dir.Dispose();
}
