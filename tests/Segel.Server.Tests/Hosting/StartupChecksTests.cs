using Segel.Core.Configuration;
using Segel.Server.Hosting;
using Segel.Testing;

namespace Segel.Server.Tests.Hosting;

/// <summary>Issue 25.6: what `segel serve` warns about before it listens — one line each, with what to do.</summary>
public sealed class StartupChecksTests
{
    [Fact]
    public async Task A_mail_server_that_does_not_answer_is_one_line_and_one_that_does_none()
    {
        var silent = new SegelOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = CmpMockServer.FreePort() } };
        string warning = Assert.Single(await StartupChecks.WarningsAsync(silent));
        Assert.Contains("mail server 127.0.0.1", warning, StringComparison.Ordinal);
        Assert.Contains("outbox", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', warning);

        using var listening = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listening.Start();
        var answering = new SegelOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = ((System.Net.IPEndPoint)listening.LocalEndpoint).Port } };
        Assert.Empty(await StartupChecks.WarningsAsync(answering));
        Assert.Empty(await StartupChecks.WarningsAsync(new SegelOptions()));
    }
}
