using System.Net.Http.Json;
using System.Text.Json;

namespace Segel.Server.Tests;

/// <summary>
/// The regency's identity provider that scripts/test.sh starts (node's oidc-provider, tests/oidc-provider): each test
/// registers its own client there by dynamic registration (RFC 7591), with its server's redirect URI.
/// </summary>
internal static class TestIdentityProvider
{
    public static string Issuer => Environment.GetEnvironmentVariable("SEGEL_TEST_OIDC") is { Length: > 0 } issuer
        ? issuer
        : throw new InvalidOperationException("SEGEL_TEST_OIDC is not set: run the tests through scripts/test.sh, which starts the identity provider.");

    /// <summary>Registers Segel at <paramref name="serverUrl"/> as a client and sets the server's SignOn settings to use it.</summary>
    public static async Task ConfigureAsync(Dictionary<string, string?> settings, string serverUrl, bool trustSecondFactor = true)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage response = await http.PostAsJsonAsync($"{Issuer}/reg", new
        {
            redirect_uris = new[] { serverUrl + "/signin-oidc" },
            token_endpoint_auth_method = "client_secret_post",
            client_name = "Segel",
        });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"client registration: {(int)response.StatusCode} {body}");
        JsonElement client = JsonDocument.Parse(body).RootElement;
        settings["SignOn:Authority"] = Issuer;
        settings["SignOn:ClientId"] = client.GetProperty("client_id").GetString();
        settings["SignOn:ClientSecret"] = client.GetProperty("client_secret").GetString();
        settings["SignOn:RequireHttpsMetadata"] = "false";
        settings["SignOn:Scopes:0"] = "email";
        settings["SignOn:Scopes:1"] = "nip";
        settings["SignOn:TrustSecondFactor"] = trustSecondFactor ? "true" : "false";
    }
}
