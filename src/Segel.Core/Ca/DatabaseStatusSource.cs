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
        // Runs for every answer the responder has not cached — with requests spread over a million serials, most of
        // them — so the query is compiled once instead of translated from an expression tree each time.
        StatusRow? row = db switch
        {
            SqliteSegelDbContext sqlite => await StatusQuery<SqliteSegelDbContext>.Run(sqlite, issuer.Id, serialHex, cancellationToken),
            PostgresSegelDbContext postgres => await StatusQuery<PostgresSegelDbContext>.Run(postgres, issuer.Id, serialHex, cancellationToken),
            _ => throw new InvalidOperationException($"No status query for {db.GetType().Name}."),
        };
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

    // A compiled query belongs to one model, and each provider's context has its own: one per context type.
    private static class StatusQuery<TContext>
        where TContext : SegelDbContext
    {
        public static readonly Func<TContext, int, string, CancellationToken, Task<StatusRow?>> Run =
            EF.CompileAsyncQuery((TContext db, int issuerId, string serial, CancellationToken cancellationToken) => db.Certificates.AsNoTracking()
                .Where(c => c.IssuerId == issuerId && c.SerialHex == serial)
                .Select(c => new StatusRow(c.RevokedAt, c.RevocationReason))
                .FirstOrDefault());
    }
}
