using System.Diagnostics.Metrics;

namespace Segel.Core.Kernel;

/// <summary>
/// What the core counts, through .NET's metrics API; the server exports it (and the gauges it reads from
/// <c>Operations.CaHealth</c> at each scrape) to Prometheus on <c>/metrics</c>.
/// </summary>
public static class SegelMetrics
{
    public const string MeterName = "Segel.Core";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Lockouts by <c>kind</c>: <c>account</c> (sign-in), <c>key</c> (a holder's key), <c>confirmation-code</c>.</summary>
    public static Counter<long> Lockouts { get; } = Meter.CreateCounter<long>("segel.lockouts", description: "Lockouts after repeated wrong secrets, by what was locked");

    /// <summary>Remote signing calls that produced signatures, from the call to the signed files, by <c>unlock</c> (passphrase or code).</summary>
    public static Histogram<double> SigningSeconds { get; } = Meter.CreateHistogram<double>("segel.signing.duration", unit: "s",
        description: "Time to sign the documents of one remote signing call, key unlock included");

    internal static void Locked(string kind) => Lockouts.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
