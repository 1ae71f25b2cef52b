using MimeKit;
using Segel.Core.Configuration;

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
    public static Task<MimeMessage> WaitForAsync(string to, TimeSpan? timeout = null) => WaitForAsync(to, _ => true, timeout);

    /// <summary>Waits for a message to <paramref name="to"/> that <paramref name="match"/> accepts and returns it.</summary>
    public static async Task<MimeMessage> WaitForAsync(string to, Func<MimeMessage, bool> match, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        string dir = Path.Combine(Environment.GetEnvironmentVariable("SEGEL_TEST_MAILDIR")!, "new");
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(dir))
            {
                foreach (string file in Directory.GetFiles(dir))
                {
                    MimeMessage message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)) && match(message))
                    {
                        return message;
                    }
                }
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No mail to {to} arrived at the SMTP sink.");
    }

    /// <summary>
    /// Waits for a message to <paramref name="to"/> that <paramref name="match"/> accepts and that this call
    /// has not returned before (per <paramref name="seen"/>), so a test can follow several notices to one address.
    /// </summary>
    public static async Task<MimeMessage> NextAsync(string to, Func<MimeMessage, bool> match, ISet<string> seen, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(seen);
        string dir = Path.Combine(Environment.GetEnvironmentVariable("SEGEL_TEST_MAILDIR")!, "new");
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(dir))
            {
                foreach (string file in Directory.GetFiles(dir).Where(f => !seen.Contains(f)))
                {
                    MimeMessage message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)) && match(message))
                    {
                        seen.Add(file);
                        return message;
                    }
                }
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No (further) matching mail to {to} arrived at the SMTP sink.");
    }

    /// <summary>The text of the newest message to <paramref name="to"/> whose text <paramref name="match"/> accepts; null when none (or no sink runs).</summary>
    public static async Task<string?> NewestBodyAsync(string to, Func<string, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        string dir = Path.Combine(Environment.GetEnvironmentVariable("SEGEL_TEST_MAILDIR") ?? "", "new");
        if (Environment.GetEnvironmentVariable("SEGEL_TEST_MAILDIR") is null || !Directory.Exists(dir))
        {
            return null;
        }
        foreach (FileInfo file in new DirectoryInfo(dir).GetFiles().OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.Name, StringComparer.Ordinal))
        {
            MimeMessage message = await MimeMessage.LoadAsync(file.FullName);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)) && message.TextBody is { } text && match(text))
            {
                return text;
            }
        }
        return null;
    }

    /// <summary>How many messages to <paramref name="to"/> the sink holds that <paramref name="match"/> accepts.</summary>
    public static async Task<int> CountAsync(string to, Func<MimeMessage, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        string dir = Path.Combine(Environment.GetEnvironmentVariable("SEGEL_TEST_MAILDIR")!, "new");
        int count = 0;
        foreach (string file in Directory.Exists(dir) ? Directory.GetFiles(dir) : [])
        {
            MimeMessage message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)) && match(message))
            {
                count++;
            }
        }
        return count;
    }
}
