using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Segel.Core;
using Segel.Server.Hosting;
using Segel.Testing;

namespace Segel.Server.Tests;

/// <summary>
/// <c>segel serve</c> in the test process, on a real port, with a clock the test moves, a real database (SQLite
/// or the PostgreSQL that scripts/test.sh starts) and the real SMTP sink.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private WebApplication _app = null!;

    // An hour behind the wall clock: sign-ins step it forward, and tools that check at the real time (pdfsig) must
    // not find certificates made "in the future".
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()));

    /// <summary>Everything the server logged, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    public string Url { get; private set; } = "";

    public SegelCa Ca => _app.Services.GetRequiredService<SegelCa>();

    public IServiceProvider Services => _app.Services;

    public string OperatorToken => File.ReadAllText(Path.Combine(_directory.Path, "data", DataFolder.AdminTokenFile)).Trim();

    public TempDirectory Directory => _directory;

    public static Task<InProcessServer> StartAsync(string provider, Action<Dictionary<string, string?>>? configure = null) =>
        StartAsync(provider, (overrides, _) =>
        {
            configure?.Invoke(overrides);
            return Task.CompletedTask;
        });

    /// <summary>For settings that name the server's own URL before it starts (a client registered at an identity provider).</summary>
    public static async Task<InProcessServer> StartAsync(string provider, Func<Dictionary<string, string?>, string, Task> configure)
    {
        var server = new InProcessServer();
        int port = FreePort();
        server.Url = $"http://127.0.0.1:{port}";
        Segel.Core.Configuration.DatabaseOptions database = TestDatabase.Create(provider, server._directory.Path);
        var smtp = TestSmtp.Options();
        var overrides = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider,
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Smtp:Host"] = smtp.Host,
            ["Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "none",
            ["Limits:SignInPerMinute"] = "1000",
            ["Ca:RootAlgorithm"] = "ecdsa-p384",
            ["Ca:IssuingAlgorithm"] = "ecdsa-p256",
            ["Ca:TsaAlgorithm"] = "ecdsa-p256",
            ["Ca:SubscriberAlgorithm"] = "ecdsa-p256",
        };
        await configure(overrides, server.Url);
        var settings = new ServeSettings(new DataFolder(Path.Combine(server._directory.Path, "data")), server.Url)
        {
            Time = server.Time,
            Overrides = overrides,
            Logging = logging => logging.AddProvider(server.Logs).SetMinimumLevel(LogLevel.Trace)
                .AddFilter<CapturedLogs>(null, LogLevel.Trace),
        };
        server._app = await SegelServer.CreateAsync(settings);
        await server._app.StartAsync();
        return server;
    }

    public HttpClient Client(string? token = null, string language = "id")
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Signs in over HTTP; officers' and administrators' TOTP codes are computed at the server's (fake) time.</summary>
    public async Task<string> SignInAsync(string username, string password, string? totpUri = null)
    {
        string? code = totpUri is null ? null : NextTotp(totpUri);
        using HttpClient client = Client();
        HttpResponseMessage response = await client.PostAsJsonAsync("/api/v1/sessions", new { username, password, totp = code });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {username}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>An e-government application's client: an API token with <c>sign:pdf</c>, sent as HTTP Basic the way the national API's clients do.</summary>
    public async Task<HttpClient> SigningApplicationAsync(string name)
    {
        (_, string token) = await Ca.ApiTokens.IssueAsync(name, [Segel.Core.Signing.RemoteSigning.Scope], null, Segel.Core.Kernel.Principal.Console);
        return BasicClient(name, token);
    }

    public HttpClient BasicClient(string user, string password)
    {
        HttpClient client = Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>An authenticator code for a fresh 30-second window: a code is accepted once, so the clock steps on for every sign-in.</summary>
    public string NextTotp(string totpUri)
    {
        Time.Advance(TimeSpan.FromSeconds(31));
        string secret = System.Web.HttpUtility.ParseQueryString(new Uri(totpUri).Query)["secret"]!;
        return new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(Time.GetUtcNow().UtcDateTime);
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _directory.Dispose();
    }
}
