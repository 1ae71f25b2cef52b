using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core;
using Segel.Core.Kernel;
using Segel.Core.Lifecycle;
using Segel.Core.Storage;
using Segel.Server.Hosting;

/// <summary>
/// The RA's review queue with N pending applications: p50/p95/p99 of listing it through the HTTP API (a real
/// Kestrel, authentication, the core query, JSON), through the core service alone, and — the floor — the same
/// page read with a hand-written SQL query on the same SQLite file. Target: p95 ≤ 50 ms over HTTP.
/// </summary>
internal static class QueueBench
{
    public static async Task<int> RunAsync(int count)
    {
        string dir = Path.Combine(Path.GetTempPath(), "segel-queue-" + Guid.NewGuid().ToString("N")[..8]);
        int port = BenchServer.FreePort();
        WebApplication app = await BenchServer.StartAsync(dir, $"http://127.0.0.1:{port}");
        try
        {
            SegelCa ca = app.Services.GetRequiredService<SegelCa>();
            await SeedAsync(ca, count);
            string token = File.ReadAllText(Path.Combine(dir, DataFolder.AdminTokenFile)).Trim();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Principal officer = new("bench-officer", Role.RaOfficer);

            var cases = new (string Name, string Query, EnrollmentFilter Filter)[]
            {
                ("first page", "state=submitted&limit=50", new EnrollmentFilter("submitted", Limit: 50)),
                ("last page", $"state=submitted&limit=50&offset={count - 50}", new EnrollmentFilter("submitted", Offset: count - 50, Limit: 50)),
                ("one agency", "state=submitted&agency=AG07&limit=50", new EnrollmentFilter("submitted", Agency: "AG07", Limit: 50)),
                ("name search", "state=submitted&search=Pegawai%20123&limit=50", new EnrollmentFilter("submitted", Search: "Pegawai 123", Limit: 50)),
            };
            Console.WriteLine($"queue pending={count} rounds={Latency.Rounds} (milliseconds)");
            Console.WriteLine($"{"case",-12} {"layer",-8} {"p50",8} {"p95",8} {"p99",8}");
            foreach ((string name, string query, EnrollmentFilter filter) in cases)
            {
                Print(name, "http", await Latency.MeasureAsync(async () =>
                {
                    using HttpResponseMessage response = await http.GetAsync($"/api/v1/enrollments?{query}");
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                }));
                Print(name, "core", await Latency.MeasureAsync(() => ca.EnrollmentQueries.ListAsync(filter, officer)));
            }
            Print("first page", "raw-sql", await Latency.MeasureAsync(() => RawFirstPageAsync(ca.Database.ConnectionString)));
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    private static async Task SeedAsync(SegelCa ca, int count)
    {
        var watch = Stopwatch.StartNew();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await using (SegelDbContext db = ca.Database.CreateContext())
        {
            for (int a = 0; a < 40; a++)
            {
                db.Agencies.Add(new AgencyRecord { Code = $"AG{a:00}", Name = $"Perangkat Daerah {a}", CreatedAt = now });
            }
            await db.SaveChangesAsync();
        }
        List<int> agencies;
        await using (SegelDbContext db = ca.Database.CreateContext())
        {
            agencies = db.Agencies.OrderBy(a => a.Code).Select(a => a.Id).ToList();
        }
        for (int start = 0; start < count; start += 2000)
        {
            await using SegelDbContext db = ca.Database.CreateContext();
            var batch = new List<(EmployeeRecord Employee, int Agency)>();
            for (int i = start; i < Math.Min(count, start + 2000); i++)
            {
                int agency = agencies[i % agencies.Count];
                var employee = new EmployeeRecord
                {
                    Nip = (198001012005011000L + i).ToString(CultureInfo.InvariantCulture), NikSealed = [1], NikLookup = BitConverter.GetBytes((long)i),
                    Name = $"Pegawai {i}", AgencyId = agency, Email = $"pegawai{i}@tanahbumbukab.go.id", CreatedAt = now, UpdatedAt = now,
                };
                db.Employees.Add(employee);
                batch.Add((employee, agency));
            }
            await db.SaveChangesAsync();
            foreach ((EmployeeRecord employee, int agency) in batch)
            {
                db.Enrollments.Add(SeedBench.Application(employee.Id, agency, employee.Email, "bench", now, now.AddSeconds(employee.Id)));
            }
            await db.SaveChangesAsync();
        }
        Console.WriteLine($"seeded {count} submitted applications in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task RawFirstPageAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM enrollments WHERE "State" = 1;
            SELECT e."Id", e."Kind", e."State", p."Nip", p."Name", a."Code", e."Profile", e."CreatedAt", e."SubmittedAt", e."DecidedAt", e."Rejections"
            FROM enrollments e JOIN employees p ON p."Id" = e."EmployeeId" JOIN agencies a ON a."Id" = e."AgencyId"
            WHERE e."State" = 1 ORDER BY e."SubmittedAt", e."Id" LIMIT 50;
            """;
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.GetValue(i);
                }
            }
        }
        while (await reader.NextResultAsync());
    }

    private static void Print(string name, string layer, double[] sorted) => Console.WriteLine($"{name,-12} {layer,-8} {Latency.Percentiles(sorted)}");
}
