using System.Globalization;
using MimeKit;
using Segel.Core.Configuration;
using Segel.Core.Errors;
using Segel.Core.Notifications;
using Segel.Testing;

namespace Segel.Core.Tests.Notifications;

public sealed class MailTests
{
    [Fact]
    public async Task Notice_in_indonesian_arrives_at_a_real_smtp_server()
    {
        var sender = new SmtpMailSender(TestSmtp.Options());
        string to = $"budi.{Guid.NewGuid():N}@tanahbumbukab.go.id";
        DateTimeOffset expiry = new(2028, 11, 24, 0, 0, 0, TimeSpan.Zero);
        MailMessage message = MailMessages.Compose("CertificateExpiring", to, null, "Budi Santoso", "3A4B5C", 30, MailMessages.Date(expiry, null), "Pemerintah Kabupaten Tanah Bumbu");
        await sender.SendAsync(message);

        MimeMessage received = await TestSmtp.WaitForAsync(to);
        Assert.Equal("Sertifikat elektronik Anda berakhir dalam 30 hari", received.Subject);
        Assert.Contains("Yth. Budi Santoso", received.TextBody, StringComparison.Ordinal);
        Assert.Contains("24 November 2028", received.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void English_on_request()
    {
        MailMessage message = MailMessages.Compose("RevocationApproved", "kepala@tanahbumbukab.go.id", CultureInfo.GetCultureInfo("en"),
            "Budi Santoso", "3A4B5C", "24 November 2026", "affiliationChanged", "Pemerintah Kabupaten Tanah Bumbu");
        Assert.Equal("Certificate revoked: Budi Santoso", message.Subject);
        Assert.Contains("can never be used again", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unconfigured_or_unreachable_mail_is_a_clear_error()
    {
        MailMessage message = MailMessages.Compose("CertificateExpiring", "x@tanahbumbukab.go.id", null, "X", "1", 1, "-", "-");
        var none = await Assert.ThrowsAsync<SegelException>(() => new SmtpMailSender(new SmtpOptions()).SendAsync(message));
        Assert.Contains("Smtp:Host", none.Message, StringComparison.Ordinal);
        var down = await Assert.ThrowsAsync<SegelException>(() => new SmtpMailSender(new SmtpOptions { Host = "127.0.0.1", Port = 1, Security = "none" }).SendAsync(message));
        Assert.Equal(ErrorKind.NotReady, down.Kind);
    }
}
