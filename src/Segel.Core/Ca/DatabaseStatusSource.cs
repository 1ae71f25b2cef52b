using Microsoft.EntityFrameworkCore;
using Segel.Core.Storage;
using Segel.Pki.Ocsp;
using Segel.Pki.Revocation;

namespace Segel.Core.Ca;

/// <summary>Certificate status for the OCSP responder, read from the CA's own records.</summary>
public sealed class DatabaseStatusSource : ICertificateStatusSource
{
    private static readonly Func<SegelDbContext, int, string, IAsyncEnumerable<StatusRow>> Query =
        EF.CompileAsyncQuery((SegelDbContext db, int issuerId, string serial) =>
            db.Certificates.AsNoTracking().Where(c => c.IssuerId == issuerId && c.SerialHex == serial)
                .Select(c => new StatusRow(c.RevokedAt, c.RevocationReason)).Take(1));

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
        await foreach (StatusRow row in Query(db, issuer.Id, serialHex).WithCancellation(cancellationToken))
        {
            return row.RevokedAt is { } at
                ? CertificateStatus.Revoked(at, (RevocationReason)(row.Reason ?? 0))
                : CertificateStatus.Good;
        }
        return CertificateStatus.Unknown;
    }

    private sealed record StatusRow(DateTimeOffset? RevokedAt, int? Reason);
}
