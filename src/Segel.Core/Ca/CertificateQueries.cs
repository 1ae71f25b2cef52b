using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki.Certificates;

namespace Segel.Core.Ca;

public enum CertificateFilter
{
    All,
    Valid,
    Revoked,
    Expired,
}

/// <summary>Reads certificates for listing and display.</summary>
internal sealed class CertificateQueries
{
    public const int MaxPageSize = 500;
    private readonly SegelDatabase _database;
    private readonly AuthorityRing _ring;
    private readonly TimeProvider _time;

    public CertificateQueries(SegelDatabase database, AuthorityRing ring, TimeProvider time)
    {
        _database = database;
        _ring = ring;
        _time = time;
    }

    public async Task<IReadOnlyList<CertificateRecord>> ListAsync(CertificateFilter filter = CertificateFilter.All, string? search = null,
        int skip = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        if (take is < 1 or > MaxPageSize)
        {
            throw SegelException.Invalid("take", $"Page size must be between 1 and {MaxPageSize}.");
        }
        if (skip < 0)
        {
            throw SegelException.Invalid("skip", $"Offset must not be negative.");
        }
        await using SegelDbContext db = _database.CreateContext();
        IQueryable<CertificateRecord> query = db.Certificates.AsNoTracking();
        DateTimeOffset now = _time.GetUtcNow();
        query = filter switch
        {
            CertificateFilter.Valid => query.Where(c => c.RevokedAt == null && c.NotAfter > now),
            CertificateFilter.Revoked => query.Where(c => c.RevokedAt != null),
            CertificateFilter.Expired => query.Where(c => c.RevokedAt == null && c.NotAfter <= now),
            _ => query,
        };
        if (!string.IsNullOrWhiteSpace(search))
        {
            string term = search.Trim();
            string serialTerm = term.ToUpperInvariant();
            // Case-insensitive, as officers type names ("budi" finds "Budi Santoso"): ILIKE on PostgreSQL, LIKE on SQLite (which
            // ignores ASCII case); the term's own % and _ are escaped, so they match themselves.
            string pattern = "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = _database.Provider == DatabaseProvider.Postgres
                ? query.Where(c => EF.Functions.ILike(c.CommonName, pattern, "\\") || (c.Email != null && EF.Functions.ILike(c.Email, pattern, "\\")) || c.SerialHex == serialTerm)
                : query.Where(c => EF.Functions.Like(c.CommonName, pattern, "\\") || (c.Email != null && EF.Functions.Like(c.Email, pattern, "\\")) || c.SerialHex == serialTerm);
        }
        return await query.OrderByDescending(c => c.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
    }

    public Task<CertificateRecord> GetAsync(string serial, string? issuerSlug = null, CancellationToken cancellationToken = default) =>
        FindOneAsync(_database, _ring, serial, issuerSlug, cancellationToken);

    internal static async Task<CertificateRecord> FindOneAsync(SegelDatabase database, AuthorityRing ring, string serial, string? issuerSlug,
        CancellationToken cancellationToken)
    {
        if (!SerialNumber.TryParseHex(serial, out byte[] bytes))
        {
            throw SegelException.Invalid("serial", $"'{serial}' is not a hexadecimal serial number.");
        }
        string hex = SerialNumber.Normalise(bytes);
        int? issuerId = null;
        if (!string.IsNullOrWhiteSpace(issuerSlug))
        {
            issuerId = (await ring.FindBySlugAsync(issuerSlug, cancellationToken))?.Id
                ?? throw SegelException.NotFound($"No issuer named '{issuerSlug}'.");
        }
        await using SegelDbContext db = database.CreateContext();
        List<CertificateRecord> found = await db.Certificates.AsNoTracking()
            .Where(c => c.SerialHex == hex && (issuerId == null || c.IssuerId == issuerId))
            .Take(2).ToListAsync(cancellationToken);
        return found.Count switch
        {
            0 => throw SegelException.NotFound($"No certificate with serial {hex}."),
            1 => found[0],
            _ => throw SegelException.Invalid("serial", $"Serial {hex} exists under more than one issuer; name the issuer."),
        };
    }
}
