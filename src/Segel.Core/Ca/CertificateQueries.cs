using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Texts;

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
            throw SegelException.Invalid("take", Localized.Of("Error.PageSizeBetween1", MaxPageSize));
        }
        if (skip < 0)
        {
            throw SegelException.Invalid("skip", Localized.Of("Error.OffsetNotNegative"));
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
        Task<List<CertificateRecord>> NewestFirst(IQueryable<CertificateRecord> rows) =>
            rows.OrderByDescending(c => c.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        IReadOnlyList<string> words = SearchText.Words(search);
        if (words.Count == 0)
        {
            // Only punctuation ("%", "-") names nothing a certificate is found by.
            return string.IsNullOrWhiteSpace(search) ? await NewestFirst(query) : [];
        }
        // Every word somewhere in the name, e-mail or serial, in any case and with or without accents ("budi santoso",
        // "BUDI", "3f2a"), as officers type them — answered from an index so a search stays flat at a million rows.
        foreach (string word in words)
        {
            string pattern = SearchText.ContainsPattern(word);
            query = query.Where(c => EF.Functions.Like(c.SearchText, pattern, "\\"));
        }
        List<string> indexed = words.Where(w => w.Length >= CertificateSearchRow.TrigramLength).ToList();
        if (_database.Provider == DatabaseProvider.Postgres || indexed.Count == 0)
        {
            // pg_trgm answers the LIKEs; on SQLite, words too short for a trigram are checked row by row, newest first.
            return await NewestFirst(query);
        }
        // SQLite: the FTS5 trigram table drives, newest id first, so a common word stops after one page and a rare one
        // reads a short list; shorter words are checked on the rows it yields.
        IQueryable<CertificateSearchRow> hits = db.Set<CertificateSearchRow>();
        foreach (string word in indexed)
        {
            string pattern = "%" + word + "%"; // FTS5 takes no ESCAPE; an underscore matching any letter only widens what the LIKE above narrows
            hits = hits.Where(s => EF.Functions.Like(s.SearchText, pattern));
        }
        return await (from s in hits
                      join c in query on s.RowId equals c.Id
                      orderby s.RowId descending
                      select c).Skip(skip).Take(take).ToListAsync(cancellationToken);
    }

    public Task<CertificateRecord> GetAsync(string serial, string? issuerSlug = null, CancellationToken cancellationToken = default) =>
        FindOneAsync(_database, _ring, serial, issuerSlug, cancellationToken);

    internal static async Task<CertificateRecord> FindOneAsync(SegelDatabase database, AuthorityRing ring, string serial, string? issuerSlug,
        CancellationToken cancellationToken)
    {
        if (!SerialNumber.TryParseHex(serial, out byte[] bytes))
        {
            throw SegelException.Invalid("serial", Localized.Of("Error.NotHexadecimalSerialNumber", serial));
        }
        string hex = SerialNumber.Normalise(bytes);
        int? issuerId = null;
        if (!string.IsNullOrWhiteSpace(issuerSlug))
        {
            issuerId = (await ring.FindBySlugAsync(issuerSlug, cancellationToken))?.Id
                ?? throw SegelException.NotFound(Localized.Of("Error.NoIssuerNamed", issuerSlug));
        }
        await using SegelDbContext db = database.CreateContext();
        List<CertificateRecord> found = await db.Certificates.AsNoTracking()
            .Where(c => c.SerialHex == hex && (issuerId == null || c.IssuerId == issuerId))
            .Take(2).ToListAsync(cancellationToken);
        return found.Count switch
        {
            0 => throw SegelException.NotFound(Localized.Of("Error.NoCertificateSerial", hex)),
            1 => found[0],
            _ => throw SegelException.Invalid("serial", Localized.Of("Error.SerialExistsUnderMoreIssuer", hex)),
        };
    }
}
