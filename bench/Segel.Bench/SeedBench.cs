using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core;
using Segel.Core.Storage;
using Segel.Server.Hosting;

/// <summary>
/// A data folder at regency-to-nation scale for the benchmarks to run against (issue 22.5): a CA of its own, N employees in
/// 40 agencies, C certificates each (the first of each employee's revoked) and S signature records each, seeded with plain
/// SQL into SQLite and sealed as Segel seals them. The folder is left for <c>segel serve --data DIR</c>. Certificate rows
/// carry a stand-in DER (lists, searches, OCSP and CRLs read the row's fields, not the DER); personal data (NIK) is a stand-in
/// too, so pages that unseal a NIK are not for these rows.
/// </summary>
internal static class SeedBench
{
    public static async Task<int> RunAsync(string dir, int employees, int certificatesPerEmployee, int signaturesPerEmployee)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            Console.Error.WriteLine($"seed: {dir} is not empty; give a new folder.");
            return 2;
        }
        WebApplication app = await BenchServer.StartAsync(dir);
        try
        {
            SegelCa ca = app.Services.GetRequiredService<SegelCa>();
            AuditChain chain;
            await using (SegelDbContext context = ca.Database.CreateContext())
            {
                chain = context.AuditChain ?? throw new InvalidOperationException("No audit key.");
            }
            var watch = Stopwatch.StartNew();
            var shape = new SeedShape(certificatesPerEmployee, signaturesPerEmployee, 730 / Math.Max(1, certificatesPerEmployee), k => k == 0);
            (int certificates, int signatures) = ReportBench.Seed(ca.Database.ConnectionString, employees, chain, shape);
            await ReportBench.SealAsync(ca, chain);
            Console.WriteLine($"seeded employees={employees} certificates={certificates} revoked={employees} signatures={signatures} seconds={watch.Elapsed.TotalSeconds:F1} data={dir}");
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
