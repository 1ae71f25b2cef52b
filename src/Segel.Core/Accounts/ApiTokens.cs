using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Accounts;

/// <summary>An API token as administrators see it: never the token itself.</summary>
public sealed record ApiTokenView(long Id, string Name, string Scopes, string State, DateTimeOffset? ExpiresAt);

/// <summary>
/// Tokens for integrating applications: 256 random bits shown once, stored as SHA-256 (a token has full
/// entropy, so a fast hash is enough), limited to scopes, and revocable at once.
/// </summary>
public sealed class ApiTokens
{
    public const string Prefix = "sgl_";
    private readonly SegelDatabase _database;
    private readonly TimeProvider _time;

    internal ApiTokens(SegelDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public async Task<(ApiTokenView Record, string Token)> IssueAsync(string name, IEnumerable<string> scopes, TimeSpan? lifetime, Principal by,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "issue-api-tokens");
        string label = Ca.SubjectValidation.Name(name, "name");
        string[] list = (scopes ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0 || list.Any(s => s.Any(char.IsWhiteSpace)))
        {
            throw SegelException.Invalid("scopes", Localized.Of("Error.GiveLeastScopeWithoutSpaces"));
        }
        if (list.FirstOrDefault(s => !ApiScopes.All.Contains(s)) is { } unknown)
        {
            throw SegelException.Invalid("scopes", Localized.Of("Error.NoScopeScopes", unknown, string.Join(", ", ApiScopes.All)));
        }
        string token = BearerSecrets.New(Prefix);
        DateTimeOffset now = _time.GetUtcNow();
        var record = new ApiTokenRecord
        {
            Name = label,
            TokenHash = BearerSecrets.Hash(token),
            Scopes = string.Join(' ', list),
            CreatedBy = by.Name,
            CreatedAt = now,
            ExpiresAt = lifetime is { } l ? now + l : null,
        };
        await using SegelDbContext db = _database.CreateContext();
        db.ApiTokens.Add(record);
        AuditLog.Record(db, _time, by.ToActor(), "api-token.issued", label, new { scopes = record.Scopes, expiresAt = record.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        return (View(record, _time.GetUtcNow()), token);
    }

    /// <summary>Every token, oldest first, with whether it is active, expired or revoked now.</summary>
    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "list-api-tokens");
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        List<ApiTokenRecord> records = await db.ApiTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return [.. records.Select(t => View(t, now))];
    }

    private static ApiTokenView View(ApiTokenRecord t, DateTimeOffset now) =>
        new(t.Id, t.Name, t.Scopes, t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= now ? "expired" : "active", t.ExpiresAt);

    public async Task RevokeAsync(long id, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "revoke-api-tokens");
        await using SegelDbContext db = _database.CreateContext();
        ApiTokenRecord record = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoApiTokenId", id));
        if (record.RevokedAt is not null)
        {
            throw SegelException.Conflict(Localized.Of("Error.ApiTokenAlreadyRevoked", id));
        }
        record.RevokedAt = _time.GetUtcNow();
        AuditLog.Record(db, _time, by.ToActor(), "api-token.revoked", record.Name, new { id });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The principal a presented token stands for, or null when it is unknown, revoked or expired.</summary>
    public async Task<Principal?> AuthenticateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }
        byte[] hash = BearerSecrets.Hash(token);
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        ApiTokenRecord? record = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (record is null || record.RevokedAt is not null || record.ExpiresAt <= now)
        {
            return null;
        }
        return new Principal($"api:{record.Name}", Role.None, Scopes: record.Scopes.Split(' ').ToHashSet(StringComparer.Ordinal));
    }

}
