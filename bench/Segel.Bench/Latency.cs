using System.Diagnostics;
using System.Globalization;

/// <summary>Timing a call many times, for the benchmarks that report latency percentiles (queue, queries).</summary>
internal static class Latency
{
    public const int Rounds = 300;

    /// <summary>20 warm-up calls, then <see cref="Rounds"/> timed ones, sorted (milliseconds).</summary>
    public static async Task<double[]> MeasureAsync(Func<Task> call)
    {
        for (int i = 0; i < 20; i++)
        {
            await call();
        }
        var samples = new double[Rounds];
        for (int i = 0; i < Rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(samples);
        return samples;
    }

    /// <summary>p50, p95 and p99 of sorted samples, in columns of eight.</summary>
    public static string Percentiles(double[] sorted) => string.Create(CultureInfo.InvariantCulture,
        $"{sorted[sorted.Length / 2],8:F2} {sorted[(int)(sorted.Length * 0.95)],8:F2} {sorted[(int)(sorted.Length * 0.99)],8:F2}");
}
