using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Notifications;

/// <summary>Sends notices over SMTP with MailKit.</summary>
public sealed class SmtpMailSender(SmtpOptions options)
{
    public bool Configured => !string.IsNullOrWhiteSpace(options.Host);

    /// <summary>Sends one message on a connection of its own.</summary>
    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        await using SmtpSession session = await OpenAsync(cancellationToken);
        await session.SendAsync(message, cancellationToken);
    }

    /// <summary>
    /// A connection for several messages: the outbox sends a round of them on one, since connecting and greeting the
    /// server cost more than a message (an import's thousands of invitations would otherwise spend most of their time there).
    /// </summary>
    internal async Task<SmtpSession> OpenAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            throw new SegelException(ErrorKind.NotReady, Localized.Of("Error.EMailNotConfiguredSet"));
        }
        SecureSocketOptions security = (options.Security ?? "").ToUpperInvariant() switch
        {
            "NONE" => SecureSocketOptions.None,
            "TLS" or "SSL" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        var client = new SmtpClient();
        try
        {
            await SmtpSession.Guard(options, async () =>
            {
                await client.ConnectAsync(options.Host!, options.Port, security, cancellationToken);
                if (!string.IsNullOrEmpty(options.Username))
                {
                    await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
                }
            });
            return new SmtpSession(client, options);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}

/// <summary>One open connection to the mail server; closed politely when disposed.</summary>
internal sealed class SmtpSession(SmtpClient client, SmtpOptions options) : IAsyncDisposable
{
    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = message.EncryptedBody is { } encrypted
            ? new MimeKit.Cryptography.ApplicationPkcs7Mime(MimeKit.Cryptography.SecureMimeType.EnvelopedData, new MemoryStream(encrypted))
            : new TextPart("plain") { Text = message.Body };
        await Guard(options, () => client.SendAsync(mime, cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(true);
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException or IOException)
        {
            // The messages are sent; a server that hangs up before QUIT's answer loses nothing.
        }
        client.Dispose();
    }

    internal static async Task Guard(SmtpOptions options, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException or SslHandshakeException or IOException)
        {
            throw new SegelException(ErrorKind.NotReady, Localized.Of("Error.MailServerDidNotAccept", options.Host, options.Port, e.Message), e);
        }
    }
}
