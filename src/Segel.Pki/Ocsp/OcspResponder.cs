using System.Collections.Concurrent;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Segel.Pki.Certificates;
using Segel.Pki.Revocation;
using BcStatus = Org.BouncyCastle.Ocsp.CertificateStatus;

namespace Segel.Pki.Ocsp;

/// <summary>
/// An RFC 6960 / RFC 5019 responder. Answers to nonce-free requests are signed once and kept, keyed by the
/// request's exact bytes, until they are due for refresh or until <see cref="Invalidate"/> is called — which
/// the CA does on every revocation, so a revocation shows on the very next request. Bad input never throws:
/// it gets a malformedRequest response.
/// </summary>
public sealed class OcspResponder
{
    private readonly IReadOnlyList<OcspAuthority> _authorities;
    private readonly ICertificateStatusSource _statusSource;
    private readonly TimeProvider _time;
    private readonly OcspOptions _options;
    private readonly ConcurrentDictionary<byte[], CachedAnswer> _cache = new(ByteSequenceComparer.Instance);
    private readonly ConcurrentDictionary<byte[], CachedAnswer>.AlternateLookup<ReadOnlySpan<byte>> _cacheBySpan;
    private long _generation;

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
        _cache.Clear();
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

        if (request.Length == 0 || request.Length > _options.MaxRequestBytes || !TryParse(request, out OcspReq? parsed, out Req[] items) ||
            items.Length > _options.MaxCertificatesPerRequest)
        {
            PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "refused"));
            return OcspAnswer.MalformedRequest;
        }
        if (parsed.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce) is { } asked && NonceLength(asked) is < MinNonce or > MaxNonce)
        {
            // RFC 8954: 1 to 32 octets. A longer one only makes every answer bigger and unique (no cache) at the asker's will.
            PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "refused"));
            return OcspAnswer.MalformedRequest;
        }
        OcspAuthority? authority = FindAuthority(items[0].GetCertID());
        if (authority is null)
        {
            PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "refused"));
            return OcspAnswer.Unauthorized;
        }
        PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("source", "signed"));

        var statuses = new (CertificateID Id, CertificateStatus Status)[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            CertificateID id = items[i].GetCertID();
            statuses[i] = (id, authority.Matches(id)
                ? await LookupAsync(authority, id, cancellationToken)
                : CertificateStatus.Unknown);
        }

        X509Extension? nonce = parsed.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        DateTimeOffset thisUpdate = now.ToWholeSeconds();
        DateTimeOffset nextUpdate = thisUpdate + _options.Validity;
        byte[] body = Sign(authority, statuses, nonce, thisUpdate, nextUpdate);
        if (nonce is not null)
        {
            // A nonce makes the answer unique to this request: never reuse it, never let HTTP caches keep it.
            return new OcspAnswer(body);
        }

        var answer = new OcspAnswer(body, thisUpdate, nextUpdate, Convert.ToHexString(SHA256.HashData(body).AsSpan(0, 16)));
        if (_cache.Count >= _options.MaxCachedResponses)
        {
            _cache.Clear();
        }
        _cache[request.ToArray()] = new CachedAnswer(answer, generation, now + _options.RefreshAfter);
        return answer;
    }

    private static bool TryParse(ReadOnlyMemory<byte> request, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OcspReq? parsed, out Req[] items)
    {
        parsed = null;
        items = [];
        try
        {
            // Reject trailing garbage: the request must be exactly one DER value.
            Asn1Object asn1 = Asn1Object.FromByteArray(request.ToArray());
            parsed = new OcspReq(OcspRequest.GetInstance(asn1));
            items = parsed.GetRequestList();
            return items.Length > 0;
        }
#pragma warning disable CA1031 // Any parse failure of untrusted input is a malformed request, whatever BouncyCastle throws.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private OcspAuthority? FindAuthority(CertificateID id)
    {
        foreach (OcspAuthority authority in _authorities)
        {
            if (authority.Matches(id))
            {
                return authority;
            }
        }
        return null;
    }

    private async ValueTask<CertificateStatus> LookupAsync(OcspAuthority authority, CertificateID id, CancellationToken cancellationToken)
    {
        if (id.SerialNumber.SignValue <= 0)
        {
            return CertificateStatus.Unknown;
        }
        string serial = SerialNumber.Normalise(id.SerialNumber.ToByteArrayUnsigned());
        return await _statusSource.GetStatusAsync(authority.IssuerSlug, serial, cancellationToken);
    }

    private static byte[] Sign(OcspAuthority authority, (CertificateID Id, CertificateStatus Status)[] statuses,
        X509Extension? nonce, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var generator = new BasicOcspRespGenerator(new RespID(new ResponderID(new DerOctetString(authority.ResponderKeyHash))));
        foreach ((CertificateID id, CertificateStatus status) in statuses)
        {
            generator.AddResponse(id, ToBouncyCastle(status), thisUpdate.UtcDateTime, nextUpdate.UtcDateTime, null);
        }
        if (nonce is not null)
        {
            generator.SetResponseExtensions(new X509Extensions(
                new Dictionary<DerObjectIdentifier, X509Extension> { [OcspObjectIdentifiers.PkixOcspNonce] = nonce }));
        }
        BasicOcspResp basic = generator.Generate(authority.SignatureFactory, [authority.BcResponderCertificate], thisUpdate.UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }

    private static BcStatus? ToBouncyCastle(CertificateStatus status) => status.State switch
    {
        CertificateState.Good => BcStatus.Good,
        CertificateState.Revoked when status.Reason is null or RevocationReason.Unspecified => new RevokedStatus(status.RevokedAt!.Value.UtcDateTime),
        CertificateState.Revoked => new RevokedStatus(status.RevokedAt!.Value.UtcDateTime, (int)status.Reason!.Value),
        _ => new UnknownStatus(),
    };

    private sealed record CachedAnswer(OcspAnswer Answer, long Generation, DateTimeOffset RefreshAt);

    private const int MinNonce = 1, MaxNonce = 32;

    /// <summary>The nonce's length: the OCTET STRING inside the extension's value (RFC 8954 §2.1), else the value itself (older clients send it bare).</summary>
    private static int NonceLength(X509Extension nonce)
    {
        byte[] value = nonce.Value.GetOctets();
        try
        {
            return Org.BouncyCastle.Asn1.Asn1OctetString.GetInstance(value).GetOctets().Length;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException)
        {
            return value.Length;
        }
    }
}
