namespace Segel.Pki.Ocsp;

/// <summary>How long responses are valid and how long a signed response is reused.</summary>
public sealed record OcspOptions
{
    /// <summary>nextUpdate − thisUpdate. Clients may cache a response this long.</summary>
    public TimeSpan Validity { get; init; } = TimeSpan.FromHours(24);

    /// <summary>A cached response is re-signed after this long, so thisUpdate never lags far behind.</summary>
    public TimeSpan RefreshAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Most CertIDs answered in one request (RFC 5019 clients send one).</summary>
    public int MaxCertificatesPerRequest { get; init; } = 16;

    /// <summary>Largest request body accepted.</summary>
    public int MaxRequestBytes { get; init; } = 16 * 1024;

    /// <summary>Most responses kept signed in memory; past that the cache starts over.</summary>
    public int MaxCachedResponses { get; init; } = 200_000;

    /// <summary>
    /// Most bytes of requests and signed responses kept in memory; past that the cache starts over. An answer carries the
    /// responder's certificate (about a kilobyte), so this, not the count, is what bounds memory with many serials.
    /// </summary>
    public long MaxCachedBytes { get; init; } = 64L * 1024 * 1024;
}
