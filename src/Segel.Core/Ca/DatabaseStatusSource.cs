using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;

namespace Segel.Core.Ca;

/// <summary>
/// Certificate status for the OCSP responder, read from the CA's own records — and never "good" for a serial the newest
/// published CRL lists, whatever the certificates table says now (a revocation is final, Pasal 17(3)).
/// </summary>
internal sealed class DatabaseStatusSource : ICertificateStatusSource
{
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly PublishedRevocations _published;

    public DatabaseStatusSource(SegelDatabase database, AuthorityRing ring, PublishedRevocations published)
    {
        _database = database;
        _ring = ring;
        _published = published;
    }

    public async ValueTask<CertificateStatus> GetStatusAsync(string issuerSlug, string serialHex, CancellationToken cancellationToken)
    {
        LoadedAuthority? issuer = await _ring.FindBySlugAsync(issuerSlug, cancellationToken);
        if (issuer is null)
        {
            return CertificateStatus.Unknown;
        }
        await using SegelDbContext db = _database.CreateContext();
        // Runs only when the responder has no signed answer cached, so a plain query is fast enough.
        StatusRow? row = await db.Certificates.AsNoTracking()
            .Where(c => c.IssuerId == issuer.Id && c.SerialHex == serialHex)
            .Select(c => new StatusRow(c.RevokedAt, c.RevocationReason))
            .FirstOrDefaultAsync(cancellationToken);
        if (row?.RevokedAt is { } at)
        {
            return CertificateStatus.Revoked(at, (RevocationReason)(row.Reason ?? 0));
        }
        if ((await _published.LatestAsync(issuer.Id, cancellationToken)).Entries.TryGetValue(serialHex, out PublishedRevocation? listed))
        {
            return CertificateStatus.Revoked(listed.RevokedAt, listed.Reason);
        }
        return row is null ? CertificateStatus.Unknown : CertificateStatus.Good;
    }

    private sealed record StatusRow(DateTimeOffset? RevokedAt, int? Reason);
}
