using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Segel.Core.Storage;

/// <summary>
/// Text folded so that a search finds people however they are typed: lower case, accents and apostrophes gone
/// ("Ma'ruf Amin Ç" → "maruf amin c"), other punctuation a space. The same on SQLite and PostgreSQL because it is
/// done here, not by the database's own lower() (SQLite's knows only ASCII, neither removes accents).
/// </summary>
internal static class SearchText
{
    public static string Fold(params string?[] parts)
    {
        var folded = new StringBuilder();
        foreach (string? part in parts)
        {
            if (string.IsNullOrWhiteSpace(part))
            {
                continue;
            }
            foreach (char c in part.Normalize(NormalizationForm.FormD))
            {
                UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
                if (category is UnicodeCategory.NonSpacingMark || c is '\'' or '\u2019' or '\u2018' or '`')
                {
                    continue;
                }
                if (char.IsLetterOrDigit(c) || c is '@' or '.' or '_' or '-' or '+')
                {
                    folded.Append(char.ToLowerInvariant(c));
                }
                else if (folded.Length > 0 && folded[^1] != ' ')
                {
                    folded.Append(' ');
                }
            }
            if (folded.Length > 0 && folded[^1] != ' ')
            {
                folded.Append(' ');
            }
        }
        return folded.ToString().TrimEnd().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The words of a search, folded the same way; every one must occur in a match.</summary>
    public static IReadOnlyList<string> Words(string? search) =>
        Fold(search).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).Take(8).ToList();

    /// <summary>What an employee is found by: name, NIP and e-mail (any part of each).</summary>
    public static string OfEmployee(string name, string nip, string? email) => Fold(name, nip, email);

    /// <summary>What a certificate is found by: its common name, e-mail and serial (any part of each).</summary>
    public static string OfCertificate(string commonName, string? email, string serialHex) => Fold(commonName, email, serialHex);

    /// <summary>
    /// A LIKE pattern for "contains this folded word"; <c>\</c> escapes, so an underscore in an address matches itself.
    /// LIKE rather than instr/strpos because PostgreSQL's trigram index answers LIKE.
    /// </summary>
    public static string ContainsPattern(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return "%" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
    }

    /// <summary>
    /// Fills the search text of employees and certificates saved before it existed (empty), on start, a batch at a time
    /// in the order of their ids (so each batch reads on from the last instead of rescanning the filled ones). Written
    /// directly, not through the context's save: the column is not sealed, and a row changed behind Segel's back must not
    /// stop the start.
    /// </summary>
    public static async Task FillAsync(SegelDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using SegelDbContext db = database.CreateContext();
        await FillInBatchesAsync(db, async last => (await db.Employees.AsNoTracking().Where(e => e.Id > last && e.SearchText == "").OrderBy(e => e.Id).Take(500)
                .Select(e => new { e.Id, e.Name, e.Nip, e.Email }).ToListAsync(cancellationToken)).Select(e => (e.Id, OfEmployee(e.Name, e.Nip, e.Email))).ToList(),
            (id, text) => db.Employees.Where(x => x.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SearchText, text), cancellationToken), cancellationToken);
        await FillInBatchesAsync(db, async last => (await db.Certificates.AsNoTracking().Where(c => c.Id > last && c.SearchText == "").OrderBy(c => c.Id).Take(500)
                .Select(c => new { c.Id, c.CommonName, c.Email, c.SerialHex }).ToListAsync(cancellationToken))
                .Select(c => (c.Id, OfCertificate(c.CommonName, c.Email, c.SerialHex))).ToList(),
            (id, text) => db.Certificates.Where(x => x.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SearchText, text), cancellationToken), cancellationToken);
    }

    private static async Task FillInBatchesAsync(SegelDbContext db, Func<long, Task<List<(long Id, string Text)>>> batchAfter, Func<long, string, Task<int>> write,
        CancellationToken cancellationToken)
    {
        for (long last = 0; ;)
        {
            List<(long Id, string Text)> batch = await batchAfter(last);
            if (batch.Count == 0)
            {
                return;
            }
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach ((long id, string text) in batch)
            {
                await write(id, text);
            }
            await tx.CommitAsync(cancellationToken);
            last = batch[^1].Id;
        }
    }
}

/// <summary>
/// A row of SQLite's FTS5 trigram index over certificates' search text (external content: the rowid is the certificate's
/// id). Read by search only; the migration's triggers keep it in step with the table.
/// </summary>
internal sealed class CertificateSearchRow
{
    public const string Table = "certificates_search";

    /// <summary>A word shorter than a trigram cannot be looked up in the index.</summary>
    public const int TrigramLength = 3;

    public long RowId { get; set; }

    public string SearchText { get; set; } = "";
}
