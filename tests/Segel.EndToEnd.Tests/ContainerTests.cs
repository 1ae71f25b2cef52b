using System.Diagnostics;
using System.Text.Json;
using Segel.Testing;
using Xunit.Abstractions;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Issue 25.2: the container image and the compose file, as shipped in the release tarball. Docker Compose's own
/// validator reads the compose file; podman builds the image from the unpacked release (on a local Debian base, as no
/// registry is reachable here). The image is then started: by podman where the machine lets it run containers, else —
/// on machines like CI's, whose sandbox refuses the runtime's resource limits — its own filesystem, user, environment,
/// working folder and command, run under chroot. Either way on PostgreSQL with the compose file's settings, and the
/// data folder must come out the image's user's alone.
/// </summary>
[Collection(ReleaseBuild.Collection)]
public sealed class ContainerTests(ReleaseBuild release, ITestOutputHelper output) : IDisposable
{
    private readonly List<string[]> _cleanup = [];

    [Fact]
    public async Task The_image_builds_from_the_release_and_serves_as_its_own_user_from_its_volume_and_the_compose_file_is_valid()
    {
        Assert.True(release.Built.ExitCode == 0, release.Built.Output);
        string folder = release.Unpacked, version = release.Version;

        // The compose file, read by Docker Compose's own validator (its schema, its interpolation).
        string compose = Path.Combine(folder, "container", "compose.yaml");
        var settings = new Dictionary<string, string?> { ["SEGEL_VERSION"] = version, ["SEGEL_HOST"] = "pki.segel.test", ["DB_PASSWORD"] = "rahasia" };
        Tool.Result config = Tool.Run("docker-compose", ["-f", compose, "config"], folder, settings);
        Assert.True(config.ExitCode == 0, config.Output);
        foreach (string expected in (string[])["network_mode: service:segel", "read_only: true", $"image: localhost/segel:{version}", "segel-data:/var/lib/segel",
            "SEGEL_Proxies__0: 127.0.0.1", $"{Path.Combine(folder, "nginx", "segel.conf")}:/etc/nginx/conf.d/default.conf:ro"])
        {
            Assert.Contains(expected, config.Stdout, StringComparison.Ordinal);
        }
        Tool.Result unset = Tool.Run("docker-compose", ["-f", compose, "config"], folder, new Dictionary<string, string?> { ["SEGEL_VERSION"] = version });
        Assert.NotEqual(0, unset.ExitCode);
        Assert.Contains("set DB_PASSWORD in .env", unset.Output, StringComparison.Ordinal);

        if (Environment.UserName != "root")
        {
            output.WriteLine("The image is built and started only as root (debootstrap, podman's storage, chroot); scripts/test.sh on CI is.");
            return;
        }
        Tool.Result baseImage = Tool.Run("bash", [Path.Combine(Segel.RepositoryRoot, "scripts", "container-base.sh")], folder, timeout: TimeSpan.FromMinutes(10));
        Assert.True(baseImage.ExitCode == 0, baseImage.Output);
        string image = $"localhost/segel-test:{Guid.NewGuid():N}";
        Tool.Result build = Tool.Run("podman", ["build", "--build-arg", $"BASE={baseImage.Stdout.Trim()}", "-t", image, "-f", Path.Combine(folder, "container", "Containerfile"),
            folder], folder, timeout: TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0, build.Output);
        _cleanup.Add(["podman", "rmi", "--force", image]);

        using JsonDocument inspected = JsonDocument.Parse(Tool.Run("podman", "image", "inspect", image, "--format", "{{json .Config}}").Stdout);
        JsonElement c = inspected.RootElement;
        Assert.Equal("1654:1654", c.GetProperty("User").GetString());
        Assert.True(c.GetProperty("Volumes").TryGetProperty("/var/lib/segel", out _));
        Assert.True(c.GetProperty("ExposedPorts").TryGetProperty("8080/tcp", out _));
        string[] command = [.. c.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()!), .. c.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(["/usr/lib/segel/segel", "serve", "--data", "/var/lib/segel"], command);
        Dictionary<string, string?> environment = c.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!.Split('=', 2))
            .ToDictionary(p => p[0], p => (string?)p[1]);
        Assert.Equal("json", environment["SEGEL_Log__Format"]);

        // The compose file's settings for Segel, on this machine's PostgreSQL and a free port.
        int port = Segel.FreePort();
        string url = $"http://127.0.0.1:{port}";
        environment["SEGEL_URLS"] = url;
        environment["SEGEL_PublicBaseUrl"] = url;
        environment["SEGEL_Proxies__0"] = "127.0.0.1";
        environment["SEGEL_Database__Provider"] = "postgres";
        environment["SEGEL_Database__ConnectionString"] = TestDatabase.Create("postgres", folder).ConnectionString;

        string container = "segel-test-" + Guid.NewGuid().ToString("N")[..12];
        Tool.Result probe = Tool.Run("podman", "run", "--rm", image, "--version");
        ProcessStartInfo start;
        string data;
        if (probe.ExitCode == 0)
        {
            output.WriteLine("podman runs containers here: the image is started by podman.");
            start = new ProcessStartInfo("podman") { ArgumentList = { "run", "--rm", "--name", container, "--network", "host" } };
            foreach ((string key, string? value) in environment.Where(e => e.Key != "PATH"))
            {
                start.ArgumentList.Add("-e");
                start.ArgumentList.Add($"{key}={value}");
            }
            start.ArgumentList.Add(image);
            _cleanup.Insert(0, ["podman", "rm", "--force", container]);
            data = ""; // in the container's own volume
        }
        else
        {
            output.WriteLine($"podman cannot run containers here ({probe.Output.Trim()}); the image is started under chroot as its configuration says.");
            Assert.Equal(0, Tool.Run("podman", "create", "--name", container, image).ExitCode);
            _cleanup.Insert(0, ["podman", "rm", "--force", container]);
            string root = Tool.Run("podman", "mount", container).Stdout.Trim();
            _cleanup.Insert(0, ["podman", "umount", container]);
            Assert.Equal(0, Tool.Run("mount", "--bind", "/proc", Path.Combine(root, "proc")).ExitCode); // .NET reads its limits there
            _cleanup.Insert(0, ["umount", Path.Combine(root, "proc")]);
            start = new ProcessStartInfo("/usr/sbin/chroot") { ArgumentList = { $"--userspec={c.GetProperty("User").GetString()}", root, "/usr/bin/env", "-C",
                c.GetProperty("WorkingDir").GetString()!, } };
            foreach (string part in command)
            {
                start.ArgumentList.Add(part);
            }
            start.Environment.Clear();
            foreach ((string key, string? value) in environment)
            {
                start.Environment[key] = value;
            }
            data = Path.Combine(root, "var", "lib", "segel");
            Assert.Equal("1654 1654", Tool.Run("stat", "-c", "%u %g", data).Stdout.Trim());
        }
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        await using (var server = new ServerProcess(Process.Start(start)!, url))
        {
            await server.WaitUntilReadyAsync();
            using JsonDocument health = JsonDocument.Parse(await server.Client().GetStringAsync("/health"));
            Assert.StartsWith(version, health.RootElement.GetProperty("version").GetString(), StringComparison.Ordinal);
            Assert.Equal("postgres", health.RootElement.GetProperty("database").GetString());
            Assert.Contains("\"category\":", server.Log, StringComparison.Ordinal);
            if (data.Length > 0)
            {
                // The CA made on first start: the folder, master key and configuration the image's user's alone.
                string listing = Tool.Run("sh", "-c", $"cd '{data}' && stat -c '%u %a %n' . *").Stdout;
                output.WriteLine(listing);
                Assert.Contains("1654 700 .", listing, StringComparison.Ordinal);
                Assert.Contains("1654 600 master.key", listing, StringComparison.Ordinal);
                Assert.Contains("1654 600 segel.json", listing, StringComparison.Ordinal);
                Assert.DoesNotContain("segel.db", listing, StringComparison.Ordinal);
            }
        }
    }

    public void Dispose()
    {
        foreach (string[] step in _cleanup)
        {
            Tool.Run(step[0], step[1..]);
        }
    }
}
