using Segel.Core.Configuration;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Issue 25.5: a data folder an earlier release left (here: this release's, rolled back one migration with the Down
/// steps it ships) is not served until <c>segel migrate</c> has taken a backup and upgraded it; then every command
/// works and the audit chain holds. A database a newer release upgraded is refused by every command; an older backup
/// upgrades as it is restored.
/// </summary>
public sealed class MigrateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Segel_migrate_backs_up_then_upgrades_and_nothing_runs_on_a_schema_it_does_not_match()
    {
        string data = _dir.File("data");
        Segel.Ok(_dir.Path, "init", "--data", data);
        Assert.Contains("up to date", Segel.Ok(_dir.Path, "migrate", "--data", data).Stdout, StringComparison.Ordinal);
        (string previous, string newest) = await SchemaHistory.RollBackOneAsync(new DatabaseOptions(), data);

        Tool.Result serve = Segel.Within(_dir.Path, TimeSpan.FromSeconds(90), "serve", "--data", data);
        Assert.Equal(7, serve.ExitCode);
        Assert.Contains($"The database schema is {previous} and this release needs {newest}", serve.Stderr, StringComparison.Ordinal);
        Assert.Equal(7, Segel.Run(_dir.Path, "audit", "verify", "--data", data).ExitCode);
        Assert.Equal(7, Segel.Run(_dir.Path, "migrate", "--data", data, "--check").ExitCode);
        Tool.Result noBackup = Segel.Run(_dir.Path, "migrate", "--data", data);
        Assert.Equal(2, noBackup.ExitCode);
        Assert.Contains("--backup", noBackup.Stderr, StringComparison.Ordinal);

        string backup = _dir.File("before-upgrade.zip");
        string upgraded = Segel.Ok(_dir.Path, "migrate", "--data", data, "--backup", backup).Stdout;
        Assert.Contains($"from {previous} to {newest}", upgraded, StringComparison.Ordinal);
        Assert.True(File.Exists(backup));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
        }
        Assert.Contains("intact", Segel.Ok(_dir.Path, "audit", "verify", "--data", data).Stdout, StringComparison.Ordinal);
        await using (ServerProcess server = Segel.Serve(_dir.Path, null, "--data", data))
        {
            await server.WaitUntilReadyAsync();
            string health = await server.Client().GetStringAsync("/health");
            Assert.Contains(newest, health, StringComparison.Ordinal);
        }

        // The backup holds the earlier schema: restored by this release, it is upgraded as it is restored.
        string restored = _dir.File("restored");
        Segel.Ok(_dir.Path, "restore", "--in", backup, "--data", restored, "--master-key-file", Path.Combine(data, "master.key"));
        Assert.Contains("up to date", Segel.Ok(_dir.Path, "migrate", "--data", restored).Stdout, StringComparison.Ordinal);

        // A newer release's database: refused by serve, by every command and by migrate, which writes no backup.
        await SchemaHistory.AddFutureAsync(new DatabaseOptions(), data);
        foreach (string[] command in (string[][])[["serve", "--data", data], ["audit", "list", "--data", data], ["migrate", "--data", data, "--backup", _dir.File("never.zip")]])
        {
            Tool.Result refused = Segel.Within(_dir.Path, TimeSpan.FromSeconds(90), command);
            Assert.Equal(7, refused.ExitCode);
            Assert.Contains("upgraded by a newer Segel", refused.Stderr, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(_dir.File("never.zip")));
    }

    public void Dispose() => _dir.Dispose();
}
