using System.Collections.Concurrent;
using System.Security.Cryptography;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;

namespace Segel.Pki.Ocsp;

/// <summary>
/// An RFC 6960 / RFC 5019 responder. Answers to nonce-free requests are signed once and kept, keyed by the
/// request's exact bytes, until they are due for refresh or until <see cref="Invalidate"/> is called — which
/// the CA does on every revocation, so a revocation shows on the very next request. A request with a nonce must be
/// signed afresh, but the status it asks for is kept the same way (by issuer and serial, forgotten on the same
/// events), so a client sending a new nonce each time costs a signature, not a database read. Bad input never
/// throws: it gets a malformedRequest response.
/// </summary>
public sealed class OcspResponder
{
    private readonly IReadOnlyList<OcspAuthority> _authorities;
    private readonly ICertificateStatusSource _statusSource;
    private readonly TimeProvider _time;
    private readonly OcspOptions _options;
    private readonly ConcurrentDictionary<byte[], CachedAnswer> _cache = new(ByteSequenceComparer.Instance);
    private readonly ConcurrentDictionary<byte[], CachedAnswer>.AlternateLookup<ReadOnlySpan<byte>> _cacheBySpan;
    private readonly ConcurrentDictionary<(string Issuer, string Serial), CachedStatus> _statuses = new();
    private readonly int[] _seen = new int[SeenSlots];
    private long _generation;
    private long _cachedBytes;

    public OcspResponder(IReadOnlyList<OcspAuthority> authorities, ICertificateStatusSource statusSource, TimeProvider time, OcspOptions? options = null)
    {
        _authorities = authorities ?? throw new ArgumentNullException(nameof(authorities));
        _statusSource = statusSource ?? throw new ArgumentNullException(nameof(statusSource));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new OcspOptions();
        _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public OcspOptions Options => _options;

    /// <summary>Forgets every signed response; the next request for any certificate reads its status afresh.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        ClearAnswers();
        _statuses.Clear();
    }

    public int CachedResponses => _cache.Count;

    public async ValueTask<OcspAnswer> RespondAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        long generation = Volatile.Read(ref _generation);
        DateTimeOffset now = _time.GetUtcNow();
        if (_cacheBySpan.TryGetValue(request.Span, out CachedAnswer? hit) && hit.Generation == generation && now < hit.RefreshAt)
        {
            PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "cache"));
            return hit.Answer;
        }

        if (request.Length == 0 || request.Length > _options.MaxRequestBytes ||
            OcspRequestReader.Read(request, _options.MaxCertificatesPerRequest) is not { } parsed)
        {
            PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "refused"));
            return OcspAnswer.MalformedRequest;
        }
        byte[]? nonce = parsed.NonceValue;
        if (nonce is not null && OcspRequestReader.NonceLength(nonce) is < MinNonce or > MaxNonce)
        {
            // RFC 8954: 1 to 32 octets. A longer one only makes every answer bigger and unique (no cache) at the asker's will.
            PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "refused"));
            return OcspAnswer.MalformedRequest;
        }
        OcspAuthority? authority = FindAuthority(parsed.Certificates[0]);
        if (authority is null)
        {
            PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "refused"));
            return OcspAnswer.Unauthorized;
        }
        PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "signed"));

        var statuses = new (byte[] CertId, CertificateStatus Status)[parsed.Certificates.Count];
        for (int i = 0; i < statuses.Length; i++)
        {
            RequestedCertificate asked = parsed.Certificates[i];
            statuses[i] = (asked.CertId, authority.Matches(asked)
                ? await LookupAsync(authority, asked, generation, now, cancellationToken)
                : CertificateStatus.Unknown);
        }

        DateTimeOffset thisUpdate = now.ToWholeSeconds();
        DateTimeOffset nextUpdate = thisUpdate + _options.Validity;
        byte[] body = authority.Writer.Write(statuses, nonce, thisUpdate, nextUpdate);
        if (nonce is not null)
        {
            // A nonce makes the answer unique to this request: never reuse it, never let HTTP caches keep it.
            return new OcspAnswer(body);
        }

        var answer = new OcspAnswer(body, thisUpdate, nextUpdate, Convert.ToHexString(SHA256.HashData(body).AsSpan(0, 16)));
        if (!SeenBefore(request.Span))
        {
            return answer;
        }
        if (_cache.Count >= _options.MaxCachedResponses || Interlocked.Add(ref _cachedBytes, request.Length + body.Length) > _options.MaxCachedBytes)
        {
            ClearAnswers();
            Interlocked.Add(ref _cachedBytes, request.Length + body.Length);
        }
        _cache[request.ToArray()] = new CachedAnswer(answer, generation, now + _options.RefreshAfter);
        return answer;
    }

    /// <summary>
    /// Whether this request was asked recently: only then is its answer kept (the "doorkeeper" of TinyLFU caches). Spread
    /// over a million serials, most requests are not asked again before the cache starts over; keeping each of them
    /// would churn the cache and the collector for a hit rate of a few per cent. A serial asked twice is likely asked
    /// again (a relying party checking a letter, a mail client). One hash per slot, overwritten freely: a collision
    /// only admits an answer, never serves a wrong one.
    /// </summary>
    private bool SeenBefore(ReadOnlySpan<byte> request)
    {
        int hash = ByteSequenceComparer.Instance.GetHashCode(request);
        ref int slot = ref _seen[hash & (SeenSlots - 1)];
        if (Volatile.Read(ref slot) == hash)
        {
            return true;
        }
        Volatile.Write(ref slot, hash);
        return false;
    }

    // The byte count may run a little behind the dictionary when two requests clear at once; it only decides when to
    // start over, so a few kilobytes either way do not matter.
    private void ClearAnswers()
    {
        _cache.Clear();
        Interlocked.Exchange(ref _cachedBytes, 0);
    }

    private OcspAuthority? FindAuthority(RequestedCertificate asked)
    {
        foreach (OcspAuthority authority in _authorities)
        {
            if (authority.Matches(asked))
            {
                return authority;
            }
        }
        return null;
    }

    private async ValueTask<CertificateStatus> LookupAsync(OcspAuthority authority, RequestedCertificate asked, long generation, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!asked.SerialIsPositive)
        {
            return CertificateStatus.Unknown;
        }
        if (_statusSource.TryGetKnownStatus(authority.IssuerSlug, asked.Serial, out CertificateStatus inMemory))
        {
            PkiMetrics.OcspStatusReads.Add(1, new KeyValuePair<string, object?>("source", "memory"));
            return inMemory;
        }
        var key = (authority.IssuerSlug, SerialNumber.Normalise(asked.Serial));
        if (_statuses.TryGetValue(key, out CachedStatus? known) && known.Generation == generation && now < known.RefreshAt)
        {
            PkiMetrics.OcspStatusReads.Add(1, new KeyValuePair<string, object?>("source", "cache"));
            return known.Status;
        }
        PkiMetrics.OcspStatusReads.Add(1, new KeyValuePair<string, object?>("source", "database"));
        CertificateStatus status = await _statusSource.GetStatusAsync(key.IssuerSlug, key.Item2, cancellationToken);
        if (_statuses.Count >= _options.MaxCachedResponses)
        {
            _statuses.Clear();
        }
        // Read under the generation seen before the read: a revocation meanwhile bumps it, so this entry is never used.
        _statuses[key] = new CachedStatus(status, generation, now + _options.RefreshAfter);
        return status;
    }

    private sealed record CachedAnswer(OcspAnswer Answer, long Generation, DateTimeOffset RefreshAt);

    private sealed record CachedStatus(CertificateStatus Status, long Generation, DateTimeOffset RefreshAt);

    private const int MinNonce = 1, MaxNonce = 32;
    private const int SeenSlots = 1 << 16;
}
