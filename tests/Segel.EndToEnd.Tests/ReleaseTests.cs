using System.Diagnostics;
using System.Text.Json;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Issue 25.1: <c>scripts/release.sh</c> builds the tarball and the Debian package from one self-contained publish;
/// both install into a throwaway root (the package with <c>dpkg -x</c>, the tarball with its own install.sh), and the
/// systemd unit's own command line, run there with the unit's environment, serves a CA that answers /health.
/// </summary>
[Collection(ReleaseBuild.Collection)]
public sealed class ReleaseTests(ReleaseBuild release) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task The_tarball_and_the_debian_package_install_and_the_units_command_line_serves()
    {
        Assert.True(release.Built.ExitCode == 0, release.Built.Output);
        string tarball = release.Tarball, package = release.Package, version = release.Version;
        Assert.Equal($"segel-{version}-linux-x64.tar.gz", Path.GetFileName(tarball));
        foreach (string shipped in (string[])["bin/segel", "segel.service", "install.sh", "nginx/segel.conf", "container/Containerfile", "container/compose.yaml"])
        {
            Assert.True(File.Exists(Path.Combine(release.Unpacked, shipped)), shipped);
        }

        // What the package says of itself and holds; Debian's own tools read it.
        string info = Tool.Run("dpkg-deb", "--info", package).Stdout;
        Assert.Contains("Package: segel", info, StringComparison.Ordinal);
        Assert.Contains($"Version: {version}", info, StringComparison.Ordinal);
        Assert.Contains("postinst", info, StringComparison.Ordinal);
        string contents = Tool.Run("dpkg-deb", "--contents", package).Stdout;
        foreach (string path in (string[])["./usr/lib/segel/segel", "./usr/lib/segel/segel-pdf", "./usr/bin/segel -> ../lib/segel/segel", "./usr/lib/systemd/system/segel.service", "./usr/share/doc/segel/nginx/segel.conf"])
        {
            Assert.Contains(path, contents, StringComparison.Ordinal);
        }
        Assert.Contains("root/root", contents, StringComparison.Ordinal);
        Assert.Equal(0, Tool.Run("sh", "-n", Path.Combine(Segel.RepositoryRoot, "deploy", "debian", "postinst")).ExitCode);

        string fromPackage = _dir.File("root-deb");
        Tool.Result unpacked = Tool.Run("dpkg-deb", "-x", package, fromPackage);
        Assert.True(unpacked.ExitCode == 0, unpacked.Output);
        string fromTarball = _dir.File("root-tar");
        Tool.Result installed = Tool.Run("sh", [Path.Combine(release.Unpacked, "install.sh")], _dir.Path,
            new Dictionary<string, string?> { ["ROOT"] = fromTarball });
        Assert.True(installed.ExitCode == 0, installed.Output);
        foreach (string root in (string[])[fromPackage, fromTarball])
        {
            Tool.Result reported = Tool.Run(Path.Combine(root, "usr", "bin", "segel"), "--version");
            Assert.True(reported.ExitCode == 0 && reported.Stdout.StartsWith(version, StringComparison.Ordinal), reported.Output);
            Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(Path.Combine(root, "usr", "lib", "segel", "segel-pdf"))[..4]);
        }

        // On CI (a throwaway machine, as root) the package goes onto the machine itself: its scripts make the user and
        // the private data folder, and removing and purging it keeps the CA's folder.
        if (Environment.GetEnvironmentVariable("CI") == "true" && Environment.UserName == "root")
        {
            Tool.Result dpkg = Tool.Run("dpkg", "-i", package);
            Assert.True(dpkg.ExitCode == 0, dpkg.Output);
            Assert.Contains(":/var/lib/segel:/usr/sbin/nologin", Tool.Run("getent", "passwd", "segel").Stdout, StringComparison.Ordinal);
            Assert.Equal("segel segel 700", Tool.Run("stat", "-c", "%U %G %a", "/var/lib/segel").Stdout.Trim());
            Assert.StartsWith(version, Tool.Run("/usr/bin/segel", "--version").Stdout, StringComparison.Ordinal);
            Assert.Equal(0, Tool.Run("dpkg", "-i", package).ExitCode); // again: an upgrade in place
            Tool.Result purged = Tool.Run("dpkg", "--purge", "segel");
            Assert.True(purged.ExitCode == 0, purged.Output);
            Assert.Contains("/var/lib/segel (the CA's keys and records) was kept", purged.Output, StringComparison.Ordinal);
            Assert.True(Directory.Exists("/var/lib/segel") && !File.Exists("/usr/bin/segel"));
        }

        // The unit: a dedicated user, its own state folder, and the hardening the issue names.
        string unit = File.ReadAllText(Path.Combine(fromPackage, "usr", "lib", "systemd", "system", "segel.service"));
        foreach (string line in (string[])["User=segel", "StateDirectory=segel", "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes", "Restart=on-failure"])
        {
            Assert.Contains(line + "\n", unit, StringComparison.Ordinal);
        }
        if (Tool.Run("sh", "-c", "command -v systemd-analyze").ExitCode == 0)
        {
            Tool.Result verified = Tool.Run("systemd-analyze", "verify", Path.Combine(Segel.RepositoryRoot, "deploy", "segel.service"));
            Assert.DoesNotContain("Unknown key", verified.Output, StringComparison.Ordinal);
        }

        // The unit's command line, in the unpacked root, with the unit's environment: /var/lib/segel is a folder here.
        string data = _dir.File("var-lib-segel");
        int port = Segel.FreePort();
        Dictionary<string, string?> environment = Segel.Clean(null);
        foreach (string assignment in unit.Split('\n').Where(l => l.StartsWith("Environment=", StringComparison.Ordinal)).Select(l => l["Environment=".Length..]))
        {
            string[] pair = assignment.Split('=', 2);
            environment[pair[0]] = pair[1].Replace("/var/lib/segel", data, StringComparison.Ordinal).Replace(":8080", $":{port}", StringComparison.Ordinal);
        }
        string segel = Path.Combine(fromPackage, "usr", "bin", "segel");
        Tool.Result init = Tool.Run(segel, ["init", "--data", data, "--base-url", $"http://127.0.0.1:{port}"], _dir.Path, environment);
        Assert.True(init.ExitCode == 0, init.Output);
        string[] command = unit.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..]
            .Replace("/var/lib/segel", data, StringComparison.Ordinal).Split(' ');
        Assert.Equal("/usr/bin/segel", command[0]);
        var start = new ProcessStartInfo(segel) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.Path };
        foreach (string argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }
        foreach ((string key, string? value) in environment)
        {
            start.Environment[key] = value;
        }
        await using var server = new ServerProcess(Process.Start(start)!, $"http://127.0.0.1:{port}");
        await server.WaitUntilReadyAsync();
        using JsonDocument health = JsonDocument.Parse(await server.Client().GetStringAsync("/health"));
        Assert.StartsWith(version, health.RootElement.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"category\":", server.Log, StringComparison.Ordinal); // the unit asks for JSON logs
    }

    public void Dispose() => _dir.Dispose();
}
