using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Segel.Core.Configuration;
using Segel.Core.Errors;

namespace Segel.Core.Notifications;

/// <summary>Sends notices over SMTP with MailKit.</summary>
public sealed class SmtpMailSender(SmtpOptions options)
{
    public bool Configured => !string.IsNullOrWhiteSpace(options.Host);

    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Configured)
        {
            throw new SegelException(ErrorKind.NotReady, $"E-mail is not configured: set Smtp:Host (and Smtp:From) in segel.json or SEGEL_Smtp__Host.");
        }
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart("plain") { Text = message.Body };

        SecureSocketOptions security = (options.Security ?? "").ToUpperInvariant() switch
        {
            "NONE" => SecureSocketOptions.None,
            "TLS" or "SSL" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(options.Host!, options.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
            }
            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException or SslHandshakeException or IOException)
        {
            throw new SegelException(ErrorKind.NotReady, $"The mail server {options.Host}:{options.Port} did not accept the message: {e.Message}", e);
        }
    }
}
