using System.Text.Json.Nodes;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Issue 25.6: <c>segel serve</c> checks its configuration before it opens anything or listens, and names every mistake
/// at once, one line each; a console command is stopped only by what it needs (the CA's settings, the master key).
/// </summary>
public sealed class StartupCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Every_mistake_is_one_line_before_listening_and_console_commands_mind_only_their_own()
    {
        string data = _dir.File("data");
        Segel.Ok(_dir.Path, "init", "--data", data);
        string config = Path.Combine(data, "segel.json");
        JsonNode good = JsonNode.Parse(File.ReadAllText(config))!;
        JsonNode bad = good.DeepClone();
        bad["Log"] = new JsonObject { ["Level"] = "Loud" };
        bad["Proxies"] = new JsonArray("proxy.local");
        bad["Smtp"] = new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = 0 };
        bad["Directory"] = new JsonObject { ["Url"] = "http://ldap.tanahbumbukab.go.id", ["BaseDn"] = "ou=certificates,dc=tanahbumbukab,dc=go,dc=id" };
        File.WriteAllText(config, bad.ToJsonString());
        string key = Path.Combine(data, "master.key");
        File.Move(key, _dir.File("master.key.away"));

        int port = Segel.FreePort();
        Tool.Result serve = Segel.Within(_dir.Path, TimeSpan.FromSeconds(90), "serve", "--data", data, "--urls", $"http://127.0.0.1:{port};https://127.0.0.1:{Segel.FreePort()}");
        Assert.Equal(2, serve.ExitCode);
        string[] lines = serve.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.StartsWith("segel: ", line, StringComparison.Ordinal));
        foreach (string named in (string[])["Log:Level", "in Proxies", "Https:Certificate", "Smtp:Port", "Directory:Url", "No master key"])
        {
            Assert.Single(lines, line => line.Contains(named, StringComparison.Ordinal));
        }
        Assert.Equal(6, lines.Length);
        Assert.DoesNotContain("listening", serve.Stdout, StringComparison.Ordinal);

        // The one mistake a console command minds: the master key (not ready, exit 7); the server's settings do not stop it.
        Tool.Result audit = Segel.Run(_dir.Path, "audit", "verify", "--data", data);
        Assert.Equal(7, audit.ExitCode);
        Assert.StartsWith("segel: No master key", audit.Stderr, StringComparison.Ordinal);
        File.Move(_dir.File("master.key.away"), key);
        Assert.Contains("intact", Segel.Ok(_dir.Path, "audit", "verify", "--data", data).Stdout, StringComparison.Ordinal);

        bad["PublicBaseUrl"] = "pki.tanahbumbukab.go.id";
        File.WriteAllText(config, bad.ToJsonString());
        Tool.Result relative = Segel.Run(_dir.Path, "audit", "verify", "--data", data);
        Assert.Equal(2, relative.ExitCode);
        Assert.Equal("segel: PublicBaseUrl is not usable: The public base URL 'pki.tanahbumbukab.go.id' must be an absolute http(s) URL.", relative.Stderr.Trim());
    }

    public void Dispose() => _dir.Dispose();
}
