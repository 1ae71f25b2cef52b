using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core;
using Segel.Core.Ca;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Pki.Keys;

// In-process halves of the CA benchmarks; bench/*.sh run the peers (openssl) beside them and print both.
//   crl N      publish a CRL of N revoked entries from the database (read, sign, store), 5 times
//   issue N    issue N certificates from CSRs through the issuance service (validated, signed, stored)
//   audit N    write N audit entries through the chain, then time `segel audit verify`'s check of all of them
//   import N   import N employees from CSV (validated, NIK sealed, stored with an audit record each), then again unchanged
//   invite N HOST:PORT   import N employees making their accounts, and deliver the N invitations to that SMTP server
//   pdf N IN.pdf P12 PASSWORD   sign IN.pdf N times in process (bench/pdf.sh runs pdfsig and openssl beside it)
//   queue N    list the RA's review queue with N pending applications over HTTP, in the core, and by raw SQL
//   ocsp N     N fresh OCSP answers (a new nonce each) in process, beside N bare ECDSA P-256 signatures with the same key
//   log N      append N leaves to the transparency log's tree and make inclusion and consistency proofs, beside raw SHA-256
//   seed DIR N C S   a data folder of N employees with C certificates (one revoked) and S signature records each (bench/seed.sh)
//   report N   the yearly regency report over N employees (5 certificates and 100 signature records each), beside raw SQL
//   kdf N      unlock a holder's sealed key N times: Argon2id (19 MiB, t=2, p=1) + HKDF + AES-GCM, as HolderKeyVault does
//   api URL TOKEN NIK PASSPHRASE PDF CLIENTS SECONDS LEVEL   load the remote signing API (bench/signing-api.sh)
//   in-process PDF P12 PASSWORD WORKERS SECONDS               the same signatures in process, with and without the KDF
if (args.Length == 9 && args[0] == "api")
{
    return await SigningApiBench.ApiAsync(args);
}
if (args.Length == 6 && args[0] == "in-process")
{
    return await SigningApiBench.InProcessAsync(args);
}
if (args.Length == 5 && args[0] == "pdf" && int.TryParse(args[1], out int signatures))
{
    return await PdfBench.RunAsync(signatures, args[2], args[3], args[4]);
}
if (args.Length == 3 && args[0] == "invite" && int.TryParse(args[1], out int invited))
{
    return await InviteBench.RunAsync(invited, args[2]);
}
if (args.Length == 5 && args[0] == "seed" && int.TryParse(args[2], out int people) && int.TryParse(args[3], out int perCertificates) &&
    int.TryParse(args[4], out int perSignatures) && people > 0 && perCertificates > 0 && perSignatures >= 0)
{
    return await SeedBench.RunAsync(Path.GetFullPath(args[1]), people, perCertificates, perSignatures);
}
if (args.Length == 2 && args[0] == "queries")
{
    return await QueriesBench.RunAsync(Path.GetFullPath(args[1]));
}
if (args.Length == 3 && args[0] == "report" && args[2] == "keep" && int.TryParse(args[1], out int kept))
{
    return await ReportBench.RunAsync(kept, keep: true);
}
if (args.Length != 2 || !int.TryParse(args[1], out int count) || count <= 0)
{
    Console.Error.WriteLine("usage: Segel.Bench crl|issue|audit|import|queue|kdf|log|report N, invite N HOST:PORT, seed DIR N C S, or queries DIR");
    return 2;
}
if (args[0] == "queue")
{
    return await QueueBench.RunAsync(count);
}
if (args[0] == "report")
{
    return await ReportBench.RunAsync(count);
}
if (args.Length == 2 && args[0] == "ocsp" && int.TryParse(args[1], out int answers))
{
    return await OcspBench.RunAsync(answers);
}
if (args[0] == "log")
{
    return LogBench.Run(count);
}
if (args[0] == "kdf")
{
    return KdfBench.Run(count);
}
string dir = Path.Combine(Path.GetTempPath(), "segel-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
try
{
    var options = new SegelOptions { Ca = new CaOptions { RootAlgorithm = "rsa3072", IssuingAlgorithm = "rsa3072", OcspAlgorithm = "ecdsa-p256", TsaAlgorithm = "ecdsa-p256" } };
    options.Database.ConnectionString = $"Data Source={Path.Combine(dir, "segel.db")}";
    MasterKey master = MasterKey.Generate();
    using var ca = new SegelCa(options, dir, new SoftwareKeyStore(master), SegelSecrets.FromMasterKey(master), TimeProvider.System);
    await ca.PrepareAsync(true, Actor.System);
    LoadedAuthority issuing = await ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
    return args[0] switch
    {
        "crl" => await Crl(ca, issuing, count),
        "issue" => await Issue(ca, count),
        "audit" => await Audit(ca, count),
        "import" => await Import(ca, count),
        _ => 2,
    };
}
finally
{
    Directory.Delete(dir, true);
}

static async Task<int> Crl(SegelCa ca, LoadedAuthority issuing, int count)
{
    await using (SegelDbContext db = ca.Database.CreateContext())
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] placeholder = [0x30, 0x00];
        for (int done = 0; done < count; done += 10_000)
        {
            for (int i = done; i < Math.Min(count, done + 10_000); i++)
            {
                db.Certificates.Add(new CertificateRecord
                {
                    IssuerId = issuing.Id, SerialHex = SerialNumber.ToHex(SerialNumber.New()), Profile = "subscriber",
                    SubjectDn = "CN=x", CommonName = "x", NotBefore = now, NotAfter = now.AddYears(2), IssuedAt = now,
                    Der = placeholder, RevokedAt = now, RevocationReason = 1,
                });
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }
    await ca.Crls.PublishAsync(issuing); // warm-up: JIT and SQLite page cache, as openssl's own runs get the OS cache
    // Publication's own memory: the process's resident size sampled while it publishes, against its size at rest after
    // seeding (the process's lifetime peak includes the seeding, which relying parties never pay for).
    GC.Collect();
    GC.WaitForPendingFinalizers();
    long resting = Environment.WorkingSet, peak = resting;
    using var sampling = new CancellationTokenSource();
    Task sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, Environment.WorkingSet);
            await Task.Delay(5);
        }
    });
    var times = new List<double>();
    CrlView? last = null;
    for (int run = 0; run < 5; run++)
    {
        var watch = Stopwatch.StartNew();
        last = await ca.Crls.PublishAsync(issuing);
        times.Add(watch.Elapsed.TotalSeconds);
    }
    await sampling.CancelAsync();
    await sampler;
    times.Sort();
    Console.WriteLine($"segel-crl entries={last!.EntryCount} bytes={last.Der.Length} median_s={times[2]:F3} min_s={times[0]:F3} " +
        $"rss_resting_mib={resting >> 20} rss_peak_publishing_mib={peak >> 20}");
    return 0;
}

static async Task<int> Import(SegelCa ca, int count)
{
    byte[] file = Encoding.UTF8.GetBytes(Staff.Csv(count));
    var watch = Stopwatch.StartNew();
    var report = await ca.EmployeeImport.ImportCsvAsync(new MemoryStream(file), Actor.System);
    double first = watch.Elapsed.TotalSeconds;
    if (!report.Applied)
    {
        Console.Error.WriteLine(string.Join("\n", report.Rows.Where(r => r.Problems.Count > 0).Take(5).Select(r => $"{r.Line}: {string.Join("; ", r.Problems)}")));
        return 1;
    }
    watch.Restart();
    var again = await ca.EmployeeImport.ImportCsvAsync(new MemoryStream(file), Actor.System);
    double second = watch.Elapsed.TotalSeconds;
    Console.WriteLine($"segel-import rows={count} created={report.Count(Segel.Core.Organization.ImportOutcome.Created)} seconds={first:F2} reimport_unchanged={again.Count(Segel.Core.Organization.ImportOutcome.Unchanged)} reimport_seconds={second:F2}");
    return 0;
}

static async Task<int> Audit(SegelCa ca, int count)
{
    var time = TimeProvider.System;
    var watch = Stopwatch.StartNew();
    long bytes = 0;
    for (int done = 0; done < count; done += 10_000)
    {
        await using SegelDbContext db = ca.Database.CreateContext();
        for (int i = done; i < Math.Min(count, done + 10_000); i++)
        {
            Segel.Core.Audit.AuditLog.Record(db, time, new Actor("cli:operator", "cli"), "certificate.issued", SerialNumber.ToHex(SerialNumber.New()),
                new { issuer = "issuing-ca", profile = "subscriber", subject = $"CN=Pegawai {i}, OU=Dinas Kominfo, O=Pemerintah Kabupaten Tanah Bumbu, C=ID" });
        }
        await db.SaveChangesAsync();
    }
    Console.Error.WriteLine($"wrote {count} entries in {watch.Elapsed.TotalSeconds:F1} s");
    await using (SegelDbContext db = ca.Database.CreateContext())
    {
        // What the MAC covers per entry: the text fields plus 8+8 bytes of numbers and the 32-byte link.
        bytes = await db.AuditRecords.SumAsync(a => (long)(a.Actor.Length + a.Action.Length + a.Subject.Length + (a.Details ?? "").Length + (a.Origin ?? "").Length + 48));
    }
    await ca.AuditVerifier.VerifyAsync(); // warm-up: JIT and page cache
    var times = new List<double>();
    Segel.Core.Supervision.AuditVerification result = null!;
    for (int run = 0; run < 3; run++)
    {
        watch.Restart();
        result = await ca.AuditVerifier.VerifyAsync();
        times.Add(watch.Elapsed.TotalSeconds);
    }
    times.Sort();
    double median = times[1];
    Console.WriteLine($"segel-audit-verify entries={result.Entries} intact={result.Intact} median_s={median:F2} entries_per_s={result.Entries / median:F0} mb_per_s={bytes / median / 1e6:F1}");

    // The same MACs over entries already in memory: what verification would cost if reading rows were free.
    await using (SegelDbContext db = ca.Database.CreateContext())
    {
        List<AuditRecord> sample = await db.AuditRecords.AsNoTracking().OrderBy(a => a.Sequence).Take(200_000).ToListAsync();
        using var hmac = ca.AuditChain.CreateHmac();
        watch.Restart();
        foreach (AuditRecord record in sample)
        {
            Segel.Core.Storage.AuditChain.Verify(record, hmac);
        }
        double macOnly = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"segel-audit-mac-only entries={sample.Count} entries_per_s={sample.Count / macOnly:F0} mb_per_s={bytes * ((double)sample.Count / result.Entries) / macOnly / 1e6:F1}");
    }
    return 0;
}

static async Task<int> Issue(SegelCa ca, int count)
{
    // CSRs are made before the clock starts: making holders' keys is not the CA's work.
    var csrs = new byte[count][];
    using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
    {
        for (int i = 0; i < count; i++)
        {
            var request = new CertificateRequest($"CN=Pegawai {i}", key, HashAlgorithmName.SHA256);
            csrs[i] = Encoding.ASCII.GetBytes(request.CreateSigningRequestPem());
        }
    }
    for (int i = 0; i < 20; i++)
    {
        await ca.Issuance.IssueFromCsrAsync(csrs[i], new HolderDetails(Email: $"warm{i}@tanahbumbukab.go.id"), CertificateProfile.Subscriber, Actor.System);
    }
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < count; i++)
    {
        await ca.Issuance.IssueFromCsrAsync(csrs[i], new HolderDetails(Email: $"pegawai{i}@tanahbumbukab.go.id"), CertificateProfile.Subscriber, Actor.System);
    }
    double sequential = watch.Elapsed.TotalSeconds;
    await using SegelDbContext db = ca.Database.CreateContext();
    int stored = await db.Certificates.CountAsync(c => c.Profile == "subscriber");
    Console.WriteLine($"segel-issue count={count} stored={stored} seconds={sequential:F2} certs_per_s={count / sequential:F0}");

    // The same certificates signed but neither checked nor stored: what the service adds on top of signing.
    LoadedAuthority issuing = await ca.Ring.GetActiveAsync(AuthorityRole.IssuingCa);
    var signer = new CertificateSigner(issuing.Certificate, issuing.Slug, issuing.Key, ca.Settings.Policy);
    int signOnly = Math.Min(count, 2000);
    using var holder = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var subject = new X500DistinguishedName("CN=Pegawai");
    var publicKey = new CertificateRequest(subject, holder, HashAlgorithmName.SHA256).PublicKey;
    watch.Restart();
    for (int i = 0; i < signOnly; i++)
    {
        signer.Sign(new CertificateTemplate(subject, publicKey, CertificateProfile.Subscriber, DateTimeOffset.UtcNow,
            DateTimeOffset.UtcNow.AddYears(2), SerialNumber.New(), "pegawai@tanahbumbukab.go.id"));
    }
    Console.WriteLine($"segel-sign-only count={signOnly} certs_per_s={signOnly / watch.Elapsed.TotalSeconds:F0}");
    return 0;
}
