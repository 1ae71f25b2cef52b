using System.Net;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>The README's run command: `segel serve` with no configuration at all.</summary>
public sealed class DefaultFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Serve_without_data_creates_the_ca_in_segel_data_and_restarts_on_it()
    {
        string first;
        await using (ServerProcess server = Segel.Serve(_dir.Path, null))
        {
            await server.WaitUntilReadyAsync();
            Assert.True(File.Exists(_dir.File("segel-data/segel.json")));
            Assert.True(File.Exists(_dir.File("segel-data/segel.db")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("segel-data/master.key")));
            }
            Assert.Contains($"listening on {server.Url}", server.Log, StringComparison.Ordinal);
            using HttpClient client = server.Client();
            first = await client.GetStringAsync("/ca/issuing-ca.pem");
        }
        // A second start finds the CA and keeps it; the public URL chosen on the first start stays.
        await using (ServerProcess again = Segel.Serve(_dir.Path, null))
        {
            await again.WaitUntilReadyAsync();
            using HttpClient client = again.Client();
            Assert.Equal(first, await client.GetStringAsync("/ca/issuing-ca.pem"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        }
    }

    public void Dispose() => _dir.Dispose();
}
