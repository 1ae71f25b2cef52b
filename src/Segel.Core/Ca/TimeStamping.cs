using Segel.Core.Storage;
using Segel.Pki.Tsa;

namespace Segel.Core.Ca;

/// <summary>
/// Segel's RFC 3161 time-stamping authority, answering with the active TSA certificate and key. The chain
/// (issuing CA, root) travels in every token whose request asks for certificates, so a PDF's time-stamp can be
/// validated offline.
/// </summary>
public sealed class TimeStamping
{
    private readonly AuthorityRing _ring;
    private readonly CaSettings _settings;
    private readonly TimeProvider _time;
    private (int AuthorityId, TimeStamper Stamper)? _current;

    internal TimeStamping(AuthorityRing ring, CaSettings settings, TimeProvider time)
    {
        _ring = ring;
        _settings = settings;
        _time = time;
    }

    public async Task<byte[]> RespondAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default) =>
        (await StamperAsync(cancellationToken)).Respond(request.Span);

    public async Task<TimeStamper> StamperAsync(CancellationToken cancellationToken = default)
    {
        LoadedAuthority tsa = await _ring.GetActiveAsync(AuthorityRole.TimeStamping, cancellationToken);
        if (_current is { } current && current.AuthorityId == tsa.Id)
        {
            return current.Stamper;
        }
        IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> chain = await _ring.ChainFromAsync(tsa.Record.ParentId, cancellationToken);
        var stamper = new TimeStamper(tsa.Certificate, chain, tsa.Key, _settings.TsaPolicyOid, _time);
        _current = (tsa.Id, stamper);
        return stamper;
    }
}
