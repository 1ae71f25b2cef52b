using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;

namespace Segel.Core.Ca;

/// <summary>Certificate status for the OCSP responder, read from the CA's own records.</summary>
public sealed class DatabaseStatusSource : ICertificateStatusSource
{
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;

    public DatabaseStatusSource(SegelDatabase database, AuthorityRing ring)
    {
        _database = database;
        _ring = ring;
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
        return row is null ? CertificateStatus.Unknown
            : row.RevokedAt is { } at ? CertificateStatus.Revoked(at, (RevocationReason)(row.Reason ?? 0))
            : CertificateStatus.Good;
    }

    private sealed record StatusRow(DateTimeOffset? RevokedAt, int? Reason);
}
