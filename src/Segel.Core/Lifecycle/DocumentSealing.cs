using Microsoft.EntityFrameworkCore;
using Segel.Core.Privacy;
using Segel.Core.Storage;

namespace Segel.Core.Lifecycle;

/// <summary>
/// Attached documents (a KTP scan carries the NIK, a photo, an address) are sealed at rest like the NIK itself, bound to
/// their SHA-256 so a blob moved to another row does not open there. Neither the database file nor its WAL holds them in clear.
/// </summary>
internal static class DocumentSealing
{
    public const string Purpose = "segel/document";

    public static byte[] Seal(PersonalDataProtector protector, byte[] content, byte[] sha256) => protector.Seal(Purpose, content, sha256);

    /// <summary>
    /// The stored row for an accepted upload, its content sealed; the caller sets what it belongs to (an application or a
    /// revocation request). One place, so every path that stores a document seals it the same way.
    /// </summary>
    public static DocumentRecord NewRecord(PersonalDataProtector protector, AcceptedDocument document, string uploadedBy, DateTimeOffset now) => new()
    {
        Kind = document.Kind,
        ContentType = document.ContentType,
        Size = document.Content.Length,
        Sha256 = document.Sha256,
        Content = Seal(protector, document.Content, document.Sha256),
        Sealed = true,
        FileName = document.FileName,
        UploadedBy = uploadedBy,
        UploadedAt = now,
    };

    public static byte[] Open(PersonalDataProtector protector, DocumentRecord document) =>
        document.Sealed ? protector.Open(Purpose, document.Content, document.Sha256) : document.Content;

    /// <summary>Seals the documents stored before sealing began (at start, once per row even with several nodes starting). Returns how many.</summary>
    public static async Task<int> SealLegacyAsync(SegelDatabase database, PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        int sealedCount = 0;
        await using SegelDbContext db = database.CreateContext();
        List<long> ids = await db.Documents.AsNoTracking().Where(d => !d.Sealed).Select(d => d.Id).ToListAsync(cancellationToken);
        foreach (long id in ids)
        {
            var row = await db.Documents.AsNoTracking().Where(d => d.Id == id && !d.Sealed).Select(d => new { d.Content, d.Sha256 }).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                continue;
            }
            byte[] content = Seal(protector, row.Content, row.Sha256);
            sealedCount += await db.Documents.Where(d => d.Id == id && !d.Sealed)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Content, content).SetProperty(d => d.Sealed, true), cancellationToken);
        }
        return sealedCount;
    }
}
