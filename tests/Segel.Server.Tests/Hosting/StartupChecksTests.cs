using Segel.Core.Configuration;
using Segel.Server.Hosting;
using Segel.Testing;

namespace Segel.Server.Tests.Hosting;

/// <summary>Issue 25.6: what `segel serve` warns about before it listens — one line each, with what to do.</summary>
public sealed class StartupChecksTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Readable_secrets_and_a_silent_mail_server_are_each_one_line_and_a_tidy_folder_none()
    {
        using var dir = new TempDirectory();
        var folder = new DataFolder(dir.Path);
        string key = dir.Write(DataFolder.MasterKeyFile, "kunci");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        var options = new SegelOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = CmpMockServer.FreePort() } };

        IReadOnlyList<string> warnings = await StartupChecks.WarningsAsync(options, folder);
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("chmod 700", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains($"chmod 600 {key}", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("mail server 127.0.0.1", StringComparison.Ordinal) && w.Contains("outbox", StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.DoesNotContain('\n', w));

        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Empty(await StartupChecks.WarningsAsync(new SegelOptions(), folder));
    }
}
