using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Segel.Core.Accounts;

/// <summary>The cost of one unlock of a holder's key: the memory-hard KDF dominates, so it is timed on its own, N times.</summary>
internal static class KdfBench
{
    public static int Run(int count)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        PasswordHasher.Compute("passphrase pemilik 2026", salt, 19_456, 2, 1); // warm-up
        var times = new List<double>();
        for (int i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            PasswordHasher.Compute("passphrase pemilik 2026", salt, 19_456, 2, 1);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  segel unlock KDF (Argon2id m=19456 KiB t=2 p=1): median {times[times.Count / 2]:F1} ms, p95 {times[(int)(times.Count * 0.95)]:F1} ms over {count}"));
        return 0;
    }
}
