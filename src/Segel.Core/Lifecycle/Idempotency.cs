using System.Security.Cryptography;

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Lifecycle;

/// <summary>
/// Idempotency keys on create calls: a retried request with the same key and the same content returns what
/// the first one made; the same key with different content is refused rather than guessed at.
/// </summary>
public static class Idempotency
{
    public const int MaxKeyLength = 128;

    public static byte[] HashOf(object request) => SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request));

    public static string? Normalize(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }
        string trimmed = key.Trim();
        return trimmed.Length > MaxKeyLength || trimmed.Any(c => c < 0x21 || c > 0x7E)
            ? throw SegelException.Invalid("Idempotency-Key", Localized.Of("Error.IdempotencyKey1VisibleAscii", MaxKeyLength))
            : trimmed;
    }

    /// <summary>The resource made earlier under this key, or null if the key is new.</summary>
    internal static async Task<long?> FindAsync(SegelDbContext db, Principal by, string? key, byte[] requestHash, string resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(by);
        if (key is null)
        {
            return null;
        }
        IdempotencyRecord? earlier = await db.IdempotencyKeys.AsNoTracking()
            .SingleOrDefaultAsync(i => i.Principal == by.Name && i.Key == key, cancellationToken);
        if (earlier is null)
        {
            return null;
        }
        if (earlier.Resource != resource || !earlier.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            throw SegelException.Refused(Localized.Of("Error.IdempotencyKeyAlreadyUsedDifferent", key));
        }
        return earlier.ResourceId;
    }

    internal static void Remember(SegelDbContext db, Principal by, string? key, byte[] requestHash, string resource, long resourceId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(by);
        if (key is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyRecord
            {
                Principal = by.Name, Key = key, RequestHash = requestHash, Resource = resource, ResourceId = resourceId, CreatedAt = now,
            });
        }
    }


    /// <summary>
    /// After a create lost the race to the same request with the same key (the unique index said so): the
    /// resource the winner made, which is the answer to give.
    /// </summary>
    internal static async Task<long> WinnerAsync(SegelDatabase database, Principal by, string key, byte[] requestHash, string resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using SegelDbContext db = database.CreateContext();
        return await FindAsync(db, by, key, requestHash, resource, cancellationToken)
            ?? throw SegelException.Conflict(Localized.Of("Error.RequestSameIdempotencyKeyBeing"));
    }
}
