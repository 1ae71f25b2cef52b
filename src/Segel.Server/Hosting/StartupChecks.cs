using System.Net.Sockets;
using Segel.Core.Configuration;

namespace Segel.Server.Hosting;

/// <summary>
/// What `segel serve` says before it listens about things that do not stop it but will bite (issue 25.6): a mail
/// server that does not answer (notices then wait in the outbox). One line each, with what to do. Data files other
/// accounts can read are <see cref="DataFolder.LooserThanPrivate"/>'s warnings; mistakes that do stop it (an unusable
/// PublicBaseUrl, no master key, a wrong setting) are <see cref="ConfigurationCheck"/>'s, all named at once, and a database
/// that does not answer is refused when it is opened.
/// </summary>
public static class StartupChecks
{
    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<string>> WarningsAsync(SegelOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The data folder's permissions are DataFolder.LooserThanPrivate's, which the server logs as it starts.
        var warnings = new List<string>();
        if (options.Smtp.Host is { Length: > 0 } host && await MailProblemAsync(host, options.Smtp.Port, cancellationToken) is { } problem)
        {
            warnings.Add($"The mail server {host}:{options.Smtp.Port} does not answer ({problem}); notices wait in the outbox until it does.");
        }
        return warnings;
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
