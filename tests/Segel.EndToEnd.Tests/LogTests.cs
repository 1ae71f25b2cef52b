using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Segel.Testing;

namespace Segel.EndToEnd.Tests;

/// <summary>
/// Issue 25.4: <c>segel serve</c> writing its log as JSON lines, one request id across a request's log lines and
/// the audit entries it wrote, and none of the request's personal data or secrets in the log.
/// </summary>
public sealed class LogTests : IDisposable
{
    private const string Password = "Sandi-Rahasia-9876";
    private const string WrongPassword = "Salah-Sekali-5432";
    private const string Nip = "199001012015011001";
    private const string DisplayName = "Dewi Rahasiawati";
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Json_lines_tie_a_request_to_its_audit_entries_and_keep_personal_data_and_secrets_out()
    {
        string data = _dir.File("data");
        Segel.Ok(_dir.Path, "init", "--data", data);
        Tool.Result wrong = Segel.Run(_dir.Path, new Dictionary<string, string?> { ["SEGEL_Log__Format"] = "xml" }, "serve", "--data", data);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("Log:Format must be text or json", wrong.Output, StringComparison.Ordinal);

        await using ServerProcess server = Segel.Serve(_dir.Path, new Dictionary<string, string?> { ["SEGEL_Log__Format"] = "json" }, "--data", data);
        await server.WaitUntilReadyAsync();
        string token = File.ReadAllText(Path.Combine(data, "admin.token")).Trim();
        using HttpClient admin = server.Client();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/users",
            new { username = "dewi.auditor", displayName = DisplayName, roles = "auditor", password = Password })).StatusCode);
        using HttpClient anyone = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.PostAsJsonAsync("/api/v1/sessions", new { username = "dewi.auditor", password = WrongPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/employees/{Nip}/invitation", null)).StatusCode);

        // The console logger writes from a queue: wait for the last request's line.
        List<JsonObject> lines = [];
        for (int i = 0; i < 100 && !lines.Any(l => (string?)l["Route"] == "/api/v1/employees/{nip}/invitation"); i++)
        {
            await Task.Delay(100);
            lines = [.. server.Log.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject())];
        }
        // Every line is one JSON object, the server's own start-up notes included.
        Assert.All(server.Log.Split('\n').Where(l => l.Trim().Length > 0), l => Assert.StartsWith("{", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => ((string?)l["message"])?.StartsWith("Segel is listening on", StringComparison.Ordinal) == true);
        Assert.All(lines, l => Assert.True(l["time"] is not null && l["level"] is not null && l["category"] is not null && l["message"] is not null, l.ToJsonString()));
        JsonObject created = Assert.Single(lines, l => (string?)l["category"] == "Segel.Server.Requests" && (string?)l["Route"] == "/api/v1/users");
        Assert.Equal((201, "POST"), ((int)created["Status"]!, (string)created["Method"]!));
        string request = (string)created["request"]!;

        // The request's audit entry carries the id its log line carries, and can be found by it.
        JsonElement audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?request={Uri.EscapeDataString(request)}");
        JsonElement entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(("user.created", request), (entry.GetProperty("action").GetString(), entry.GetProperty("requestId").GetString()));
        Assert.Contains(request, Segel.Ok(_dir.Path, "audit", "list", "--data", data, "--request", request).Output, StringComparison.Ordinal);

        // No password, token, NIP or name, though each passed through a request that was logged.
        Assert.Contains(lines, l => (string?)l["Route"] == "/api/v1/sessions" && (int?)l["Status"] == 401);
        foreach (string secret in (string[])[Password, WrongPassword, token, Nip, DisplayName, "dewi.auditor"])
        {
            Assert.DoesNotContain(secret, server.Log, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _dir.Dispose();
}
