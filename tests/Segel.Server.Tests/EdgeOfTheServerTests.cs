using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Segel.Core.Ca;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Accounts;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Server.Tests;

/// <summary>What the server does before any endpoint: rate limits keyed on who the caller really is, security headers on
/// every response, and forwarded addresses believed only from the proxies the operator named.</summary>
public sealed class EdgeOfTheServerTests
{
    [Fact]
    public async Task The_signing_limit_counts_the_token_however_the_basic_user_name_changes()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", o => o["Limits:SigningPerMinute"] = "3");
        (_, string token) = await server.Ca.ApiTokens.IssueAsync("esurat", [ApiScopes.SignPdf], null, Principal.Console);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 6; i++)
        {
            using HttpClient client = server.BasicClient($"nama-lain-{i}", token);
            statuses.Add((await client.PostAsync("/api/sign/pdf", new MultipartFormDataContent())).StatusCode);
        }
        Assert.Equal(3, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        // Another application has its own allowance.
        (_, string other) = await server.Ca.ApiTokens.IssueAsync("simpeg", [ApiScopes.SignPdf], null, Principal.Console);
        using HttpClient second = server.BasicClient("nama-lain-0", other);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await second.PostAsync("/api/sign/pdf", new MultipartFormDataContent())).StatusCode);
    }

    [Theory]
    [InlineData("/cps", "style-src 'self' 'unsafe-inline'")]
    [InlineData("/api/reference/", "script-src 'self'")]
    [InlineData("/health", "default-src 'none'")]
    [InlineData("/api/v1/certificates", "default-src 'none'")]
    [InlineData("/ca/chain.pem", "default-src 'none'")]
    public async Task Every_response_carries_the_security_headers(string path, string policy)
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        using HttpClient client = server.Client();
        HttpResponseMessage response = await client.GetAsync(path);
        Assert.Contains(policy, string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.True(response.Headers.Contains("Referrer-Policy"));
    }

    [Fact]
    public async Task A_CRL_the_relying_party_already_has_is_not_sent_again()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        using HttpClient client = server.Client();
        // The health report names the release and the database schema (what an upgrade moves forward).
        System.Text.Json.JsonElement health = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/health");
        Assert.Matches(@"^\d+\.\d+\.\d+", health.GetProperty("version").GetString());
        Assert.Matches(@"^\d{14}_", health.GetProperty("schema").GetString());

        HttpResponseMessage first = await client.GetAsync("/crl/issuing-ca.crl");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        EntityTagHeaderValue tag = first.Headers.ETag!;
        DateTimeOffset modified = first.Content.Headers.LastModified!.Value;

        async Task<HttpResponseMessage> Get(Action<HttpRequestMessage> condition)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/crl/issuing-ca.crl");
            condition(request);
            return await client.SendAsync(request);
        }
        HttpResponseMessage same = await Get(r => r.Headers.IfNoneMatch.Add(tag));
        Assert.Equal(HttpStatusCode.NotModified, same.StatusCode);
        Assert.Empty(await same.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, (await Get(r => r.Headers.IfModifiedSince = modified)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"issuing-ca-0\"")))).StatusCode);

        // A revocation makes a new CRL, with a new number: the old tag no longer matches.
        await server.Ca.EmployeeImport.ImportCsvAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Segel.Testing.LifecycleWorld.Csv)), Actor.System);
        CertificateView issued = await server.Ca.Certificates.IssueFromCsrAsync(Principal.Console, System.Text.Encoding.ASCII.GetString(Segel.Testing.Csr.Create("Budi", "budi@tanahbumbukab.go.id")),
            null, new Segel.Core.Ca.HolderDetails(Nip: Segel.Testing.LifecycleWorld.BudiNip), "Untuk menguji CRL bersyarat", "test");
        await server.Ca.Certificates.RevokeAsync(Principal.Console, issued.Serial, "keyCompromise", null, "test");
        HttpResponseMessage changed = await Get(r => r.Headers.IfNoneMatch.Add(tag));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(tag, changed.Headers.ETag);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Forwarded_addresses_are_believed_only_from_the_configured_proxies(bool configured)
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite", o =>
        {
            if (configured)
            {
                o["Proxies:0"] = "127.0.0.1";
            }
        });
        await server.Ca.Users.CreateAsync(new NewUser("budi", "Budi Santoso", Role.Subscriber, "kuda-laut-berlari-7"), Principal.Console);
        using HttpClient client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sessions") { Content = JsonContent.Create(new { username = "budi", password = "salah-sekali-ini" }) };
        request.Headers.Add("X-Forwarded-For", "203.0.113.77");
        request.Headers.Add("X-Forwarded-Proto", "https");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        await using SegelDbContext db = server.Ca.Database.CreateContext();
        string? origin = await db.AuditRecords.Where(a => a.Action == "user.sign-in-failed").Select(a => a.Origin).SingleAsync();
        Assert.Equal(configured ? "203.0.113.77" : "127.0.0.1", origin);
    }
}
