using System.Net.Sockets;
using Segel.Core.Configuration;

namespace Segel.Server.Hosting;

/// <summary>
/// What `segel serve` says before it listens about things that do not stop it but will bite (issue 25.6): a mail
/// server that does not answer (notices then wait in the outbox), and data files other users of the machine can
/// read — the master key, the operator token, the configuration (it may hold secrets), the database. One line each,
/// with what to do. Mistakes that do stop it (an unusable PublicBaseUrl, no master key, a database that does not
/// answer) are refused where they are read, also one line each.
/// </summary>
public static class StartupChecks
{
    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<string>> WarningsAsync(SegelOptions options, DataFolder folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(folder);
        var warnings = new List<string>();
        if (!OperatingSystem.IsWindows())
        {
            warnings.AddRange(Permissions(folder));
        }
        if (options.Smtp.Host is { Length: > 0 } host && await MailProblemAsync(host, options.Smtp.Port, cancellationToken) is { } problem)
        {
            warnings.Add($"The mail server {host}:{options.Smtp.Port} does not answer ({problem}); notices wait in the outbox until it does.");
        }
        return warnings;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static IEnumerable<string> Permissions(DataFolder folder)
    {
        const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if (Directory.Exists(folder.Path) && (File.GetUnixFileMode(folder.Path) & Others) != 0)
        {
            yield return $"The data folder {folder.Path} is open to other users of this machine; chmod 700 {folder.Path}.";
        }
        foreach (string name in new[] { DataFolder.MasterKeyFile, DataFolder.AdminTokenFile, SegelOptions.FileName, "segel.db" })
        {
            string path = Path.Combine(folder.Path, name);
            if (File.Exists(path) && (File.GetUnixFileMode(path) & Others) != 0)
            {
                yield return $"{path} can be read by other users of this machine; chmod 600 {path}.";
            }
        }
    }

    private static async Task<string?> MailProblemAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(MailTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode.ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {MailTimeout.TotalSeconds:0} seconds";
        }
    }
}
