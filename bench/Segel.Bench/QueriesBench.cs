using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Segel.Server.Hosting;

/// <summary>
/// Issue 22.4: the pages people open on a data folder at scale (bench/seed.sh: a million certificates, 100,000 employees,
/// a million signature records and audit entries), each 300 times over HTTP against a real Kestrel with an operator
/// token, a different person or serial each round; p50/p95/p99 in milliseconds. Target: p95 ≤ 50 ms for every case.
/// </summary>
internal static class QueriesBench
{
    public static async Task<int> RunAsync(string dir)
    {
        if (!File.Exists(Path.Combine(dir, "segel.db")))
        {
            Console.Error.WriteLine($"queries: {dir} has no seeded database; run bench/seed.sh {dir} first.");
            return 2;
        }
        int employees;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "segel.db")};Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            await using SqliteCommand count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM employees WHERE \"Nip\" >= '198001012005011000'";
            employees = Convert.ToInt32(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        SqliteConnection.ClearAllPools();
        // One client asks the public pages hundreds of times a minute; the per-address limit would refuse it.
        WebApplication app = await BenchServer.StartAsync(dir, $"http://127.0.0.1:{BenchServer.FreePort()}",
            new Dictionary<string, string?> { ["Limits:SignInPerMinute"] = "1000000" });
        try
        {
            string token = File.ReadAllText(Path.Combine(dir, DataFolder.AdminTokenFile)).Trim();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var random = new Random(22_4);
            string Nip(int i) => (198001012005011000L + i).ToString(CultureInfo.InvariantCulture);
            int Someone() => random.Next(employees);
            var cases = new (string Name, Func<string> Url)[]
            {
                ("certificates, first page", () => "/api/v1/certificates?take=100"),
                ("certificates, revoked", () => "/api/v1/certificates?status=revoked&take=100"),
                ("certificates, page 100", () => "/api/v1/certificates?skip=9900&take=100"),
                ("certificate search, a name", () => $"/api/v1/certificates?search=Pegawai%20{Someone()}"),
                ("certificate search, part of a serial", () => $"/api/v1/certificates?search={ReportBench.SeededSerial(Someone(), 3)[2..10]}"),
                ("certificate search, a word all share", () => "/api/v1/certificates?search=pegawai"),
                ("RA queue, first page", () => "/api/v1/enrollments?state=submitted&limit=50"),
                ("RA queue, one agency", () => "/api/v1/enrollments?state=submitted&agency=AG07&limit=50"),
                ("RA queue, name search", () => $"/api/v1/enrollments?state=submitted&search=Pegawai%20{Someone() / 10 * 10}&limit=50"),
                ("staff, first page", () => "/api/v1/employees?limit=50"),
                ("staff search, a name", () => $"/api/v1/employees?search=pegawai%20{Someone()}&limit=50"),
                ("staff search, a NIP", () => $"/api/v1/employees?search={Nip(Someone())}&limit=50"),
                ("staff search, one agency", () => "/api/v1/employees?agency=AG07&limit=50"),
                ("audit trail, first page", () => "/api/v1/audit?limit=50"),
                ("audit trail, a certificate", () => $"/api/v1/audit?subject={ReportBench.SeededSerial(Someone(), 9)}&limit=50"),
                ("signatures of one NIP", () => $"/api/v1/signatures?nip={Nip(Someone())}&limit=50"),
                ("public /verify/{id}", () => $"/verify/{(Someone() * 10).ToString("x32", CultureInfo.InvariantCulture)}"),
            };
            Console.WriteLine($"queries employees={employees} rounds={Latency.Rounds} (milliseconds over HTTP)");
            Console.WriteLine($"{"case",-38} {"p50",8} {"p95",8} {"p99",8}");
            foreach ((string name, Func<string> url) in cases)
            {
                double[] samples = await Latency.MeasureAsync(async () =>
                {
                    using HttpResponseMessage response = await http.GetAsync(url());
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    await response.Content.ReadAsByteArrayAsync();
                });
                Console.WriteLine($"{name,-38} {Latency.Percentiles(samples)}");
            }
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }
}
