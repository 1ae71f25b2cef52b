using System.Diagnostics.Metrics;

namespace Segel.Pki;

/// <summary>
/// What the PKI parts count, through .NET's own metrics API (the server exports it to Prometheus; nothing here knows that).
/// Static, as .NET recommends for a library's meter: every responder in the process counts into the same instruments.
/// </summary>
public static class PkiMetrics
{
    public const string MeterName = "Segel.Pki";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>OCSP responses by <c>source</c>: <c>cache</c> (pre-signed, reused), <c>signed</c> (signed for this request) or <c>refused</c>.</summary>
    public static Counter<long> OcspResponses { get; } = Meter.CreateCounter<long>("segel.ocsp.responses", description: "OCSP responses, by whether they came from the cache of pre-signed answers");

    /// <summary>
    /// Certificate statuses the responder looked up for answers it signed, by <c>source</c>: <c>memory</c> (the status
    /// tables), <c>cache</c> (a status read earlier) or <c>database</c>.
    /// </summary>
    public static Counter<long> OcspStatusReads { get; } = Meter.CreateCounter<long>("segel.ocsp.status.reads", description: "Certificate statuses looked up for OCSP answers, by where they came from");

    /// <summary>OCSP requests over HTTP, from the request to the answer written, whatever the answer.</summary>
    public static Histogram<double> OcspRequestSeconds { get; } = Meter.CreateHistogram<double>("segel.ocsp.request.duration", unit: "s",
        description: "Time to answer one OCSP request over HTTP");
}
