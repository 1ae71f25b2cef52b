using MimeKit;
using Segel.Core.Notifications;

namespace Segel.Testing;

/// <summary>The real SMTP server (aiosmtpd) that scripts/test.sh starts, and the Maildir it writes received mail to.</summary>
public static class TestSmtp
{
    public static SmtpOptions Options()
    {
        string endpoint = Environment.GetEnvironmentVariable("SEGEL_TEST_SMTP") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("Mail tests need SEGEL_TEST_SMTP and SEGEL_TEST_MAILDIR. Run scripts/test.sh, which starts an SMTP sink.");
        string[] parts = endpoint.Split(':');
        return new SmtpOptions { Host = parts[0], Port = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Security = "none" };
    }

    /// <summary>Waits for a message to <paramref name="to"/> to arrive and returns it.</summary>
    public static async Task<MimeMessage> WaitForAsync(string to, TimeSpan? timeout = null)
    {
        string dir = Path.Combine(Environment.GetEnvironmentVariable("SEGEL_TEST_MAILDIR")!, "new");
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(dir))
            {
                foreach (string file in Directory.GetFiles(dir))
                {
                    MimeMessage message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
                    {
                        return message;
                    }
                }
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No mail to {to} arrived at the SMTP sink.");
    }
}
