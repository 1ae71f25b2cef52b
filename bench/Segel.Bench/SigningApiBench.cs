using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Segel.Core.Accounts;
using Segel.Pdf.Signing;
using Segel.Pki.Keys;

/// <summary>
/// The remote signing API under load beside the same work in process, both with N concurrent workers for a fixed
/// time: over HTTP, the national API's v1 multipart call (unlock with the passphrase, sign, record); in process, the
/// holder key's KDF and PdfSigner.Sign, and PdfSigner.Sign alone.
/// </summary>
internal static class SigningApiBench
{
    /// <summary>api URL TOKEN NIK PASSPHRASE PDF CLIENTS SECONDS LEVEL</summary>
    public static async Task<int> ApiAsync(string[] args)
    {
        string url = args[1], token = args[2], nik = args[3], passphrase = args[4];
        byte[] pdf = File.ReadAllBytes(args[5]);
        int clients = int.Parse(args[6], CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(int.Parse(args[7], CultureInfo.InvariantCulture));
        string level = args[8];
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("bench:" + token)));
        async Task<bool> SignOnce()
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(pdf), "file", "surat.pdf" },
                { new StringContent(nik), "nik" },
                { new StringContent(passphrase), "passphrase" },
                { new StringContent(level), "level" },
            };
            using HttpResponseMessage response = await http.PostAsync("/api/sign/pdf", form);
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"  failed: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
            }
            return response.IsSuccessStatusCode && body.Length > pdf.Length;
        }
        // Warm-up: the server's tiered JIT takes tens of seconds of load to settle (measured: the first 30 s ran at
        // 40% of the steady rate), so the clock starts after a long warm-up, as the in-process figure's does.
        if (!await SignOnce())
        {
            Console.Error.WriteLine("the signing API refused the warm-up request");
            return 1;
        }
        await LoadAsync(clients, TimeSpan.FromSeconds(30), SignOnce);
        (int done, int failed, List<double> latencies, double seconds) = await LoadAsync(clients, duration, SignOnce);
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  segel API {level}, {clients} clients: {done / seconds:F1} signatures/s ({done} in {seconds:F1} s, {failed} failed), latency median {latencies[latencies.Count / 2]:F0} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F0} ms"));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>in-process PDF P12 PASSWORD CLIENTS SECONDS</summary>
    public static async Task<int> InProcessAsync(string[] args)
    {
        byte[] pdf = File.ReadAllBytes(args[1]);
        X509Certificate2Collection all = X509CertificateLoader.LoadPkcs12CollectionFromFile(args[2], args[3]);
        X509Certificate2 signer = all.First(c => c.HasPrivateKey);
        int clients = int.Parse(args[4], CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(int.Parse(args[5], CultureInfo.InvariantCulture));
        using var key = new SoftwareSigningKey("bench", KeyAlgorithm.Rsa2048, signer.GetRSAPrivateKey()!);
        var identity = new SigningIdentity(X509CertificateLoader.LoadCertificate(signer.RawData), all.Where(c => !c.HasPrivateKey).ToList(), key);
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        Task<bool> Sign(bool unlock) => Task.Run(async () =>
        {
            if (unlock)
            {
                PasswordHasher.Compute("passphrase pemilik 2026", salt, 19_456, 2, 1);
            }
            using var output = new MemoryStream(pdf.Length + 64 * 1024);
            await PdfSigner.SignAsync(pdf, output, identity, new PdfSignatureOptions());
            return output.Length > pdf.Length;
        });
        foreach (bool unlock in new[] { false, true })
        {
            for (int i = 0; i < 20; i++)
            {
                await Sign(unlock);
            }
            (int done, _, _, double seconds) = await LoadAsync(clients, duration, () => Sign(unlock));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  segel in-process B-B, {clients} workers, {(unlock ? "KDF + sign" : "sign only")}: {done / seconds:F1} signatures/s"));
        }
        return 0;
    }

    private static async Task<(int Done, int Failed, List<double> Latencies, double Seconds)> LoadAsync(int workers, TimeSpan duration, Func<Task<bool>> once)
    {
        int done = 0, failed = 0;
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var watch = Stopwatch.StartNew();
                bool ok = await once();
                lock (latencies)
                {
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    if (ok)
                    {
                        done++;
                    }
                    else
                    {
                        failed++;
                    }
                }
            }
        }));
        return (done, failed, latencies, clock.Elapsed.TotalSeconds);
    }
}
