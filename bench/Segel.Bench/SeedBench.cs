using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core;
using Segel.Core.Kernel;
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
            int pending = await SeedApplicationsAsync(ca, employees);
            int audited = await SeedAuditAsync(ca, employees, certificatesPerEmployee);
            Console.WriteLine($"seeded employees={employees} certificates={certificates} revoked={employees} signatures={signatures} applications={employees} " +
                $"pending={pending} audit={audited} seconds={watch.Elapsed.TotalSeconds:F1} data={dir}");
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>
    /// One application per employee, as the RA would have seen them: every tenth still waiting in the queue, the rest
    /// approved. Through the context, so each is sealed as Segel seals it.
    /// </summary>
    private static async Task<int> SeedApplicationsAsync(SegelCa ca, int employees)
    {
        DateTimeOffset start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        int pending = 0;
        List<(long Id, int AgencyId, string Email)> people;
        await using (SegelDbContext db = ca.Database.CreateContext())
        {
            people = (await db.Employees.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Id, e.AgencyId, e.Email }).ToListAsync())
                .Select(e => (e.Id, e.AgencyId, e.Email ?? "")).ToList();
        }
        foreach (var chunk in people.Chunk(5000))
        {
            await using SegelDbContext db = ca.Database.CreateContext();
            foreach ((long id, int agency, string email) in chunk)
            {
                bool waiting = id % 10 == 0;
                pending += waiting ? 1 : 0;
                DateTimeOffset submitted = start.AddSeconds(id);
                EnrollmentRecord application = Application(id, agency, email, "seed", submitted, submitted);
                if (!waiting)
                {
                    (application.State, application.DecidedAt) = (EnrollmentState.Approved, submitted.AddDays(1));
                }
                db.Enrollments.Add(application);
            }
            await db.SaveChangesAsync();
        }
        return pending;
    }

    /// <summary>A new application for an employee, submitted to the RA and waiting (the queue benchmark's too).</summary>
    internal static EnrollmentRecord Application(long employeeId, int agencyId, string holderEmail, string by, DateTimeOffset created, DateTimeOffset submitted) => new()
    {
        EmployeeId = employeeId, AgencyId = agencyId, Kind = EnrollmentKind.New, State = EnrollmentState.Submitted, Profile = "subscriber",
        ContactEmail = "sekretariat@tanahbumbukab.go.id", HolderEmail = holderEmail, CreatedBy = by, CreatedAt = created, UpdatedAt = created,
        SubmittedAt = submitted, EmailConfirmedAt = created, AgreementVersion = 1, AgreementAcceptedAt = created,
    };

    /// <summary>A <c>certificate.issued</c> audit entry per seeded certificate, through the chain, so the audit page has a million rows to page through.</summary>
    private static async Task<int> SeedAuditAsync(SegelCa ca, int employees, int certificatesPerEmployee)
    {
        var actor = new Actor("ra:officer", "portal");
        int written = 0;
        for (int i = 0; i < employees; i += 1000)
        {
            await using SegelDbContext db = ca.Database.CreateContext();
            for (int e = i; e < Math.Min(employees, i + 1000); e++)
            {
                for (int k = 0; k < certificatesPerEmployee; k++)
                {
                    Segel.Core.Audit.AuditLog.Record(db, TimeProvider.System, actor, "certificate.issued", ReportBench.SeededSerial(e, k),
                        new { issuer = "issuing-ca", profile = "subscriber", subject = $"CN=Pegawai {e}" });
                    written++;
                }
            }
            await db.SaveChangesAsync();
        }
        return written;
    }
}
