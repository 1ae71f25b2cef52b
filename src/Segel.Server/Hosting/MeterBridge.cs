using System.Diagnostics.Metrics;
using Prometheus;
using Segel.Core.Kernel;
using Segel.Pki;

namespace Segel.Server.Hosting;

/// <summary>
/// Carries what the core and the PKI measure through .NET's metrics API into Prometheus metrics of the right kind and
/// name (<c>segel_lockouts_total</c> a counter, <c>segel_signing_duration_seconds</c> a histogram). The generic adapter
/// would export counters as gauges under the meter's name; the instruments are few and ours, so each is mapped here.
/// </summary>
internal sealed class MeterBridge : IDisposable
{
    private readonly MeterListener _listener = new();

    private MeterBridge(CollectorRegistry registry)
    {
        var factory = (MetricFactory)Metrics.WithCustomRegistry(registry);
        Counter lockouts = factory.CreateCounter("segel_lockouts_total", "Lockouts after repeated wrong secrets, by what was locked (account, key, confirmation-code)", ["kind"]);
        Counter ocsp = factory.CreateCounter("segel_ocsp_responses_total", "OCSP responses by source: cache (pre-signed, reused), signed (for this request), refused", ["source"]);
        Counter statusReads = factory.CreateCounter("segel_ocsp_status_reads_total", "Certificate statuses looked up for signed OCSP answers, by source: memory (the status tables), cache (read earlier), database", ["source"]);
        Histogram signing = factory.CreateHistogram("segel_signing_duration_seconds", "Time to sign the documents of one remote signing call, key unlock included", ["unlock"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.05, 2, 10) });
        Histogram ocspSeconds = factory.CreateHistogram("segel_ocsp_request_duration_seconds", "Time to answer one OCSP request over HTTP (OCSP is answered ahead of the routes, so it is not in http_request_duration_seconds)",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 12) });
        var byName = new Dictionary<(string Meter, string Instrument), Action<double, ReadOnlySpan<KeyValuePair<string, object?>>>>
        {
            [(SegelMetrics.MeterName, SegelMetrics.Lockouts.Name)] = (value, tags) => lockouts.WithLabels(Tag(tags, "kind")).Inc(value),
            [(PkiMetrics.MeterName, PkiMetrics.OcspResponses.Name)] = (value, tags) => ocsp.WithLabels(Tag(tags, "source")).Inc(value),
            [(PkiMetrics.MeterName, PkiMetrics.OcspStatusReads.Name)] = (value, tags) => statusReads.WithLabels(Tag(tags, "source")).Inc(value),
            [(SegelMetrics.MeterName, SegelMetrics.SigningSeconds.Name)] = (value, tags) => signing.WithLabels(Tag(tags, "unlock")).Observe(value),
            [(PkiMetrics.MeterName, PkiMetrics.OcspRequestSeconds.Name)] = (value, _) => ocspSeconds.Observe(value),
        };
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (byName.TryGetValue((instrument.Meter.Name, instrument.Name), out var sink))
            {
                // The sink travels with the instrument as its state: a measurement on a hot path (every OCSP answer)
                // takes no lock and no lookup.
                listener.EnableMeasurementEvents(instrument, sink);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => (state as Action<double, ReadOnlySpan<KeyValuePair<string, object?>>>)?.Invoke(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => (state as Action<double, ReadOnlySpan<KeyValuePair<string, object?>>>)?.Invoke(value, tags));
        _listener.Start();
    }

    public static IDisposable Start(CollectorRegistry registry) => new MeterBridge(registry);

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "";
            }
        }
        return "";
    }

    public void Dispose() => _listener.Dispose();
}
