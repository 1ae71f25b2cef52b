using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Segel.Core;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Core.Supervision;
using Segel.Server.Hosting;

/// <summary>
/// The yearly regency report (Pasal 25) over a large regency: N employees in 40 agencies, 5 certificates per employee
/// spread over two years, and 100 signature records per employee in the year, seeded with plain SQL into SQLite. Times the
/// figures, the PDF and the workbook, and the process's peak memory; beside it, the floor — the report's heaviest query
/// (signatures per agency, a join over every signature of the year) by hand-written SQL on the same file.
/// Target: under 5 s and 500 MB for 10,000 employees, 50,000 certificates, 1,000,000 signatures.
/// </summary>
internal static class ReportBench
{
    private static readonly ValueConverter<DateTimeOffset, long> Time = new DateTimeOffsetToBinaryConverter();

    /// <param name="keep">Leave the data folder (printed as <c>data=DIR</c>) for bench/report.sh to run <c>segel report</c> on.</param>
    public static async Task<int> RunAsync(int employees, bool keep = false)
    {
        string dir = Path.Combine(Path.GetTempPath(), "segel-report-" + Guid.NewGuid().ToString("N")[..8]);
        WebApplication app = await BenchServer.StartAsync(dir);
        try
        {
            SegelCa ca = app.Services.GetRequiredService<SegelCa>();
            var watch = Stopwatch.StartNew();
            AuditChain chain;
            await using (SegelDbContext context = ca.Database.CreateContext())
            {
                chain = context.AuditChain ?? throw new InvalidOperationException("No audit key.");
            }
            (int certificates, int signatures) = Seed(ca.Database.ConnectionString, employees, chain, SeedShape.Report);
            await SealAsync(ca, chain);
            Console.WriteLine($"seeded employees={employees} certificates={certificates} signatures={signatures} in {watch.Elapsed.TotalSeconds:F1} s");
            var auditor = new Principal("bench-auditor", Role.Auditor);
            ReportPeriod year = ReportPeriod.Parse("2026");
            long before = Process.GetCurrentProcess().WorkingSet64;
            Console.WriteLine($"working-set-before-mb={before / 1048576}");
            for (int round = 1; round <= 3; round++)
            {
                // Round 1 verifies the whole audit chain; later rounds within 10 minutes reuse that verification.
                watch.Restart();
                PeriodReport report = await ca.Reports.ComputeAsync(year, null, auditor);
                double figures = watch.Elapsed.TotalSeconds;
                watch.Restart();
                byte[] pdf = ReportPdf.Write(report, ReportPdf.Indonesian, null);
                double pdfSeconds = watch.Elapsed.TotalSeconds;
                watch.Restart();
                byte[] xlsx = ReportXlsx.Write(report);
                double xlsxSeconds = watch.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round={round} audit-intact={report.AuditIntact} figures-s={figures:F2} pdf-s={pdfSeconds:F3} pdf-kb={pdf.Length / 1024} xlsx-s={xlsxSeconds:F3} signatures-counted={report.SignaturesByAgency.Sum(t => t.Count)} holders={report.Coverage.Sum(c => c.Holders)}"));
            }
            watch.Restart();
            long floor = RawHeaviest(ca.Database.ConnectionString);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw-sql signatures-per-agency-s={watch.Elapsed.TotalSeconds:F2} rows={floor}"));
            Process self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine($"peak-working-set-mb={self.PeakWorkingSet64 / 1048576} (seeding included) gc-heap-after-collection-mb={GC.GetTotalMemory(true) / 1048576}");
            if (keep)
            {
                Console.WriteLine($"data={dir}");
            }
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            if (!keep)
            {
                Directory.Delete(dir, true);
            }
        }
    }

    /// <summary>Seals the seeded agencies and employees as Segel would have, so the audit verification meets rows as they are in use.</summary>
    internal static async Task SealAsync(SegelCa ca, AuditChain chain)
    {
        List<AgencyRecord> agencies;
        List<EmployeeRecord> people;
        await using (SegelDbContext db = ca.Database.CreateContext())
        {
            agencies = db.Agencies.AsNoTracking().Where(a => a.Seal == null).ToList();
            people = db.Employees.AsNoTracking().Where(e => e.Seal == null).ToList();
        }
        // Written past the context, which rightly refuses to touch a row whose seal does not hold.
        using var connection = new SqliteConnection(ca.Database.ConnectionString);
        connection.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using (SqliteCommand agency = Command(connection, transaction, "UPDATE agencies SET \"Seal\" = $a WHERE \"Id\" = $b"))
        {
            agencies.ForEach(a => Run(agency, chain.SealRow(a), a.Id));
        }
        using (SqliteCommand employee = Command(connection, transaction, "UPDATE employees SET \"Seal\" = $a WHERE \"Id\" = $b"))
        {
            people.ForEach(e => Run(employee, chain.SealRow(e), e.Id));
        }
        transaction.Commit();
    }

    /// <summary>Seeds employees in 40 agencies, their certificates and their signature records with plain SQL (bench/seed.sh uses it too).</summary>
    internal static (int Certificates, int Signatures) Seed(string connectionString, int employees, AuditChain chain, SeedShape shape)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        DateTimeOffset start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // The issuing CA's certificates (role 2), so OCSP and CRL benchmarks on a seeded folder find them under their issuer.
        long issuer = Scalar(connection, transaction, "SELECT MAX(\"Id\") FROM authorities WHERE \"Role\" = 2");
        using (SqliteCommand agency = Command(connection, transaction, "INSERT INTO agencies (\"Code\", \"Name\", \"CreatedAt\") VALUES ($a, $b, $c)"))
        {
            for (int a = 0; a < 40; a++)
            {
                Run(agency, $"AG{a:00}", $"Perangkat Daerah {a}", Time.ConvertToProvider(start));
            }
        }
        long firstAgency = Scalar(connection, transaction, "SELECT MIN(\"Id\") FROM agencies WHERE \"Code\" LIKE 'AG%'");
        using (SqliteCommand employee = Command(connection, transaction,
            "INSERT INTO employees (\"Nip\", \"NikSealed\", \"NikLookup\", \"Name\", \"AgencyId\", \"Email\", \"CreatedAt\", \"UpdatedAt\", \"SearchText\") VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i)"))
        {
            for (int i = 0; i < employees; i++)
            {
                string nip = (198001012005011000L + i).ToString(CultureInfo.InvariantCulture), name = $"Pegawai {i}", email = $"pegawai{i}@tanahbumbukab.go.id";
                Run(employee, nip, new byte[] { 1 }, BitConverter.GetBytes((long)i), name, firstAgency + i % 40, email, Time.ConvertToProvider(start),
                    Time.ConvertToProvider(start), SearchText.OfEmployee(name, nip, email));
            }
        }
        long firstEmployee = Scalar(connection, transaction, "SELECT MIN(\"Id\") FROM employees WHERE \"Nip\" >= '198001012005011000'");
        byte[] der = new byte[600];
        int certificates = 0, signatures = 0;
        using (SqliteCommand certificate = Command(connection, transaction,
            "INSERT INTO certificates (\"IssuerId\", \"SerialHex\", \"Profile\", \"SubjectDn\", \"CommonName\", \"NotBefore\", \"NotAfter\", \"IssuedAt\", \"Der\", \"RevokedAt\", \"RevocationReason\", \"EmployeeId\", \"SearchText\") VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k, $l, $m)"))
        {
            // The report's shape: five per employee, 4.5 months apart from January 2025, the older ones revoked (superseded) or run out.
            for (int i = 0; i < employees; i++)
            {
                for (int k = 0; k < shape.CertificatesPerEmployee; k++)
                {
                    DateTimeOffset from = start.AddDays(k * shape.DaysApart + i % 100);
                    bool revoked = shape.Revoked(k);
                    // In Segel's normal form (upper-case hex, no leading zero byte), so OCSP and the API find them by serial.
                    string serial = SeededSerial(i, k), name = $"Pegawai {i}";
                    Run(certificate, issuer, serial, "subscriber", $"CN={name}", name, Time.ConvertToProvider(from),
                        Time.ConvertToProvider(from.AddYears(2)), Time.ConvertToProvider(from), der,
                        revoked ? Time.ConvertToProvider(from.AddDays(137)) : null, revoked ? 4 : null, firstEmployee + i, SearchText.OfCertificate(name, null, serial));
                    certificates++;
                }
            }
        }
        long firstCertificate = Scalar(connection, transaction, "SELECT MIN(\"Id\") FROM certificates WHERE \"SerialHex\" = '5E0000000000'");
        string[] applications = ["api:esurat", "api:simpeg", "api:sipd", "portal", "api:ekinerja"];
        string[] levels = ["B-B", "B-T", "B-LT", "B-LTA"];
        DateTimeOffset year = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        byte[] hash = new byte[32];
        using (SqliteCommand signature = Command(connection, transaction,
            "INSERT INTO signatures (\"Id\", \"EmployeeId\", \"CertificateId\", \"Application\", \"OriginalSha256\", \"SignedSha256\", \"SignedLength\", \"Level\", \"Unlock\", \"SignedAt\", \"Seal\") VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k)"))
        {
            for (int i = 0; i < employees; i++)
            {
                for (int k = 0; k < shape.SignaturesPerEmployee; k++)
                {
                    int n = i * shape.SignaturesPerEmployee + k;
                    // Sealed as Segel seals a signature record, so the audit verification checks a million seals as it would in use.
                    var record = new SignatureRecord
                    {
                        Id = n.ToString("x32", CultureInfo.InvariantCulture), EmployeeId = firstEmployee + i,
                        CertificateId = firstCertificate + (i * shape.CertificatesPerEmployee) + shape.CertificatesPerEmployee - 1,
                        Application = applications[n % applications.Length], OriginalSha256 = hash, SignedSha256 = hash, SignedLength = 120_000,
                        Level = levels[n % levels.Length], Unlock = "passphrase", SignedAt = year.AddMinutes(n % 500_000),
                    };
                    Run(signature, record.Id, record.EmployeeId, record.CertificateId, record.Application, hash, hash, record.SignedLength, record.Level, record.Unlock,
                        Time.ConvertToProvider(record.SignedAt), chain.SealRow(record));
                    signatures++;
                }
            }
        }
        transaction.Commit();
        return (certificates, signatures);
    }

    /// <summary>The serial of employee <paramref name="employee"/>'s certificate number <paramref name="k"/> in a seeded folder.</summary>
    internal static string SeededSerial(int employee, int k) => string.Create(CultureInfo.InvariantCulture, $"5E{employee:X8}{k:X2}");

    private static long RawHeaviest(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT a."Code", COUNT(*) FROM signatures s JOIN employees e ON e."Id" = s."EmployeeId" JOIN agencies a ON a."Id" = e."AgencyId"
            WHERE s."SignedAt" >= $from AND s."SignedAt" < $to GROUP BY a."Code"
            """;
        command.Parameters.AddWithValue("$from", Time.ConvertToProvider(new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero)));
        command.Parameters.AddWithValue("$to", Time.ConvertToProvider(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero)));
        long rows = 0;
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows += reader.GetInt64(1);
        }
        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        int count = sql.Count(c => c == '$');
        for (int p = 0; p < count; p++)
        {
            command.Parameters.Add(new SqliteParameter("$" + (char)('a' + p), null));
        }
        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (int p = 0; p < values.Length; p++)
        {
            command.Parameters[p].Value = values[p] ?? DBNull.Value;
        }
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

/// <summary>How many certificates and signature records each seeded employee gets, how far apart, and which certificates are revoked.</summary>
internal sealed record SeedShape(int CertificatesPerEmployee, int SignaturesPerEmployee, int DaysApart, Func<int, bool> Revoked)
{
    /// <summary>The yearly report's regency: 5 certificates (2 revoked), 100 signatures each.</summary>
    public static SeedShape Report { get; } = new(5, 100, 137, k => k < 4 && k % 2 == 0);
}
