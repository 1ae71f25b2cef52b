using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Segel.Core.Ca;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Server.Tests;

/// <summary>
/// <c>/metrics</c> as a real Prometheus (Debian's package, started here on loopback) scrapes it with a scoped token:
/// request counts, OCSP answers from cache, lockouts, CRL age and certificate expiry arrive in its database.
/// Alone, not beside the other server tests: Segel's meters are per process (one server per process in
/// production), so another test's OCSP answers would be counted here too.
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests
{
    [Fact]
    public async Task Prometheus_scrapes_what_operators_watch()
    {
        await using InProcessServer server = await InProcessServer.StartAsync("sqlite");
        using HttpClient anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);

        // Something to count: an OCSP question asked three times (signed, signed and kept, answered from cache) and a lockout.
        LoadedAuthority tsa = await server.Ca.Ring.GetActiveAsync(AuthorityRole.TimeStamping);
        LoadedAuthority issuing = await server.Ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
        byte[] question = Segel.Pki.Validation.OcspRequests.Create(tsa.Certificate, issuing.Certificate);
        for (int i = 0; i < 3; i++)
        {
            var body = new ByteArrayContent(question) { Headers = { ContentType = new MediaTypeHeaderValue("application/ocsp-request") } };
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync("/ocsp", body)).StatusCode);
        }
        for (int i = 0; i < 6; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/sessions", new { username = "tidak-ada", password = "salah-salah-salah" });
        }

        (_, string token) = await server.Ca.ApiTokens.IssueAsync("prometheus", [ApiScopes.MetricsRead], null, Principal.Console);
        string tokenFile = server.Directory.Write("prometheus.token", token);
        int port = InProcessServer.FreePort();
        string config = server.Directory.Write("prometheus.yml", $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: segel
                metrics_path: /metrics
                authorization:
                  type: Bearer
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ['{new Uri(server.Url).Authority}']
            """);
        string prometheus = File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus"
            : throw new InvalidOperationException("Debian's prometheus package is needed (scripts/test.sh installs it).");
        using var process = Process.Start(new ProcessStartInfo(prometheus,
            [$"--config.file={config}", $"--storage.tsdb.path={server.Directory.File("tsdb")}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var query = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal(1, await ValueAsync(query, "up{job=\"segel\"}"));
            Assert.Equal(1, await ValueAsync(query, "segel_ocsp_responses_total{source=\"cache\"}"));
            Assert.Equal(2, await ValueAsync(query, "segel_ocsp_responses_total{source=\"signed\"}"));
            Assert.True(await ValueAsync(query, "segel_lockouts_total{kind=\"account\"}") >= 1);
            Assert.Equal(1, await ValueAsync(query, "segel_healthy"));
            Assert.InRange(await ValueAsync(query, "segel_certificate_days_left{authority=\"ocsp-responder\"}"), 300, 366);
            Assert.InRange(await ValueAsync(query, "segel_crl_age_seconds{issuer=\"issuing-ca\"}"), 0, 24 * 3600);
            Assert.Equal(3, await ValueAsync(query, "segel_ocsp_request_duration_seconds_count"));
            Assert.Equal(0, await ValueAsync(query, "segel_mail_outbox_given_up"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The value of a PromQL query once Prometheus has scraped it (it scrapes every second; waits up to a minute).</summary>
    private static async Task<double> ValueAsync(HttpClient prometheus, string promql)
    {
        var watch = Stopwatch.StartNew();
        string last = "";
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                last = await prometheus.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
                JsonElement result = JsonDocument.Parse(last).RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Prometheus never had {promql}: {last}");
    }
}

[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class RunsAlone;
