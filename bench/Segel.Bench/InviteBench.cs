using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Segel.Core;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Organization;
using Segel.Core.Storage;
using Segel.Pki.Keys;

/// <summary>
/// Issue 20.1's target: an import of N employees makes N disabled accounts and delivers N invitation e-mails to a real
/// SMTP server (bench/invite.sh starts Debian's aiosmtpd). Beside it, the raw limit of the same mail server in the same
/// run: N messages of the same size sent by MailKit over one connection, with no database behind them.
/// </summary>
internal static class InviteBench
{
    public static async Task<int> RunAsync(int count, string smtp)
    {
        string[] hostPort = smtp.Split(':');
        string dir = Path.Combine(Path.GetTempPath(), "segel-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var options = new SegelOptions { Ca = new CaOptions { RootAlgorithm = "ecdsa-p256", IssuingAlgorithm = "ecdsa-p256", OcspAlgorithm = "ecdsa-p256", TsaAlgorithm = "ecdsa-p256" } };
            options.Database.ConnectionString = $"Data Source={Path.Combine(dir, "segel.db")}";
            options.Smtp.Host = hostPort[0];
            options.Smtp.Port = int.Parse(hostPort[1], System.Globalization.CultureInfo.InvariantCulture);
            options.Smtp.Security = "none";
            MasterKey master = MasterKey.Generate();
            using var ca = new SegelCa(options, dir, new SoftwareKeyStore(master), SegelSecrets.FromMasterKey(master), TimeProvider.System);
            await ca.PrepareAsync(true, Actor.System);
            byte[] file = System.Text.Encoding.UTF8.GetBytes(Staff.Csv(count));

            var watch = Stopwatch.StartNew();
            ImportReport report = await ca.EmployeeImport.ImportCsvAsync(new MemoryStream(file), Actor.System, new EmployeeImportOptions(OpenAccounts: true));
            double imported = watch.Elapsed.TotalSeconds;
            int sent = 0;
            while (sent < count)
            {
                int round = await ca.Outbox.DeliverAsync();
                if (round == 0)
                {
                    Console.Error.WriteLine($"delivery stopped after {sent} messages");
                    return 1;
                }
                sent += round;
            }
            double total = watch.Elapsed.TotalSeconds;
            await using SegelDbContext db = ca.Database.CreateContext();
            int disabled = await db.Users.CountAsync(u => u.Disabled && u.EmployeeId != null);
            int invitations = await db.Invitations.CountAsync();

            double raw = await RawAsync(options.Smtp, count);
            Console.WriteLine($"segel-invite employees={count} accounts_made={report.Accounts.Made} disabled_accounts={disabled} invitations={invitations} mails_sent={sent} " +
                $"import_s={imported:F2} delivery_s={total - imported:F2} total_s={total:F2} raw_mailkit_one_connection_s={raw:F2} ratio={total / raw:F2}");
            return report.Accounts.Made == count && sent == count ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>The mail server's own limit: the same number of messages of about the same size, one connection, no database.</summary>
    private static async Task<double> RawAsync(SmtpOptions smtp, int count)
    {
        string body = new('x', 700);
        var watch = Stopwatch.StartNew();
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host!, smtp.Port, SecureSocketOptions.None);
        for (int i = 0; i < count; i++)
        {
            var mime = new MimeMessage();
            mime.From.Add(MailboxAddress.Parse(smtp.From));
            mime.To.Add(MailboxAddress.Parse($"raw{i}@tanahbumbukab.go.id"));
            mime.Subject = "Akun portal Segel Anda";
            mime.Body = new TextPart("plain") { Text = body };
            await client.SendAsync(mime);
        }
        await client.DisconnectAsync(true);
        return watch.Elapsed.TotalSeconds;
    }
}
