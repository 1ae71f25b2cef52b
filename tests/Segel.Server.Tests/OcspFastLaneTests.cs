using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// OCSP is answered ahead of the rest of the pipeline (issue 22.1), so the pipeline's exception page is not behind it:
/// when the database is gone the responder itself must say tryLater (RFC 6960 §2.3), in OCSP's own terms, and answer
/// again once the database is back. The failure is real: PostgreSQL refuses the server's connections.
/// </summary>
public sealed class OcspFastLaneTests
{
    private static readonly byte[] TryLater = [0x30, 0x03, 0x0A, 0x01, 0x03];

    [Fact]
    public async Task Without_its_database_the_responder_says_try_later_and_answers_again_when_it_is_back()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("postgres");
        LoadedAuthority issuing = await server.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        string database = new NpgsqlConnectionStringBuilder(server.Services.GetRequiredService<DatabaseLocation>().ConnectionString).Database!;
        // A serial the issuing CA never issued: the in-memory status tables (issue 22.2) cannot answer it, so the responder
        // must ask the database. (A serial the tables hold may still be answered from memory for the moment before the
        // status listener notices the database is gone — nothing can be revoked without it.)
        using var stranger = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Tidak Dikenal",
            System.Security.Cryptography.ECDsa.Create(), System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        byte[] question = Segel.Pki.Validation.OcspRequests.Create(stranger, issuing.Certificate);
        using HttpClient anonymous = server.Client();
        async Task<byte[]> AskAsync()
        {
            using var body = new ByteArrayContent(question) { Headers = { ContentType = new MediaTypeHeaderValue("application/ocsp-request") } };
            HttpResponseMessage response = await anonymous.PostAsync("/ocsp", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadAsByteArrayAsync();
        }

        await SetConnectionsAsync(database, allowed: false);
        try
        {
            byte[] refused = await AskAsync();
            Assert.Equal(TryLater, refused);
            string path = server.Directory.File("trylater.der");
            await File.WriteAllBytesAsync(path, refused);
            Assert.Contains("trylater", Tool.OpenSsl("ocsp", "-respin", path, "-resp_text", "-noverify").Output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(server.Logs.Lines, l => l.Contains("could not be answered", StringComparison.Ordinal));
        }
        finally
        {
            await SetConnectionsAsync(database, allowed: true);
        }
        Assert.NotEqual(TryLater, await AskAsync());
    }

    /// <summary>Closes the database to new connections and ends the open ones, or opens it again.</summary>
    private static async Task SetConnectionsAsync(string database, bool allowed)
    {
        await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable(TestDatabase.Variable));
        await admin.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE {database} ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", admin))
        {
            await alter.ExecuteNonQueryAsync();
        }
        if (!allowed)
        {
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", admin);
            terminate.Parameters.AddWithValue("name", database);
            await terminate.ExecuteNonQueryAsync();
        }
    }
}
