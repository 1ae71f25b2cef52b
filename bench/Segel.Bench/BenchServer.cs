using Microsoft.AspNetCore.Builder;
using Segel.Server.Hosting;

/// <summary>A running Segel server on a data folder (made if new, with ECDSA keys so set-up is quick), for the benchmarks that need one.</summary>
internal static class BenchServer
{
    public static async Task<WebApplication> StartAsync(string dir, string url = "http://127.0.0.1:0", IReadOnlyDictionary<string, string?>? settingsToo = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Ca:RootAlgorithm"] = "ecdsa-p384", ["Ca:IssuingAlgorithm"] = "ecdsa-p256", ["Ca:TsaAlgorithm"] = "ecdsa-p256",
        };
        foreach ((string key, string? value) in settingsToo ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }
        var settings = new ServeSettings(new DataFolder(dir), url) { Overrides = overrides };
        WebApplication app = await SegelServer.CreateAsync(settings);
        await app.StartAsync();
        return app;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
