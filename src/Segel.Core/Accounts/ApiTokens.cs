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
public sealed record ApiTokenView(long Id, string Name, string Scopes, string State, DateTimeOffset? ExpiresAt)
{
    /// <summary>For a seal token: the seal and the networks it is accepted from.</summary>
    public long? SealId { get; init; }

    public string? Networks { get; init; }
}

/// <summary>
/// What a <see cref="ApiScopes.SealSign"/> token is bound to (issue 23.2): one institutional seal, and the networks (CIDR, e.g.
/// <c>10.20.0.0/16</c> or one address) of the application allowed to use it — the seal's policy, in place of a passphrase.
/// </summary>
public sealed record SealBinding(long SealId, IReadOnlyList<string> Networks)
{
    public const int MaxNetworks = 20;

    /// <summary>
    /// The binding a form or the command line asks for: a seal and its networks, or none. Networks given without a seal are
    /// refused rather than dropped, since they bind only a seal token and an administrator who typed them expects them to hold.
    /// </summary>
    public static SealBinding? From(long? sealId, IReadOnlyList<string>? networks)
    {
        if (sealId is long id)
        {
            return new SealBinding(id, networks ?? []);
        }
        if ((networks ?? []).Any(n => !string.IsNullOrWhiteSpace(n)))
        {
            throw SegelException.Invalid("networks", Localized.Of("Error.NetworksNeedSeal", ApiScopes.SealSign));
        }
        return null;
    }

    /// <summary>The networks in canonical form; refuses an empty list, a malformed one, and the whole Internet.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<string>? networks)
    {
        var parsed = new List<string>();
        foreach (string given in (networks ?? []).Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            string text = given.Contains('/', StringComparison.Ordinal) ? given
                : given + (given.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
            if (!System.Net.IPNetwork.TryParse(text, out System.Net.IPNetwork network))
            {
                throw SegelException.Invalid("networks", Localized.Of("Error.NetworkNotCidr", given));
            }
            if (network.PrefixLength == 0)
            {
                throw SegelException.Invalid("networks", Localized.Of("Error.NetworkTooWide", given));
            }
            parsed.Add(network.ToString());
        }
        if (parsed.Count is 0 or > MaxNetworks)
        {
            throw SegelException.Invalid("networks", Localized.Of("Error.SealNeedsNetworks", MaxNetworks));
        }
        return [.. parsed.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether <paramref name="origin"/> (the caller's address) lies in one of <paramref name="networks"/>; an IPv4 address seen as IPv6 counts as itself.</summary>
    public static bool Allows(IReadOnlyList<string>? networks, string? origin)
    {
        if (networks is null || !System.Net.IPAddress.TryParse(origin, out System.Net.IPAddress? address))
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return networks.Any(n => System.Net.IPNetwork.TryParse(n, out System.Net.IPNetwork network) && network.Contains(address));
    }
}

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

    /// <summary>The longest a token may be issued for, in days; without a number of days it never expires.</summary>
    public const int MaxDays = 3650;

    /// <summary>
    /// A token's lifetime from the number of days an administrator typed (empty: never expires), refused unless a whole
    /// number from 1 to <see cref="MaxDays"/> — for the CLI's <c>--days</c> and the portal's field alike.
    /// </summary>
    public static TimeSpan? LifetimeOf(string? days)
    {
        if (string.IsNullOrWhiteSpace(days))
        {
            return null;
        }
        if (!int.TryParse(days.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int d) || d is < 1 or > MaxDays)
        {
            throw SegelException.Invalid("days", Localized.Of("Error.TokenDays", MaxDays));
        }
        return TimeSpan.FromDays(d);
    }

    public Task<(ApiTokenView Record, string Token)> IssueAsync(string name, IEnumerable<string> scopes, TimeSpan? lifetime, Principal by,
        CancellationToken cancellationToken = default) => IssueAsync(name, scopes, lifetime, null, by, cancellationToken);

    /// <summary>
    /// As above; a token with <see cref="ApiScopes.SealSign"/> is bound to one approved institutional seal and the networks it may
    /// be used from (<paramref name="seal"/>, required for that scope and refused for any other), and carries no other scope.
    /// </summary>
    public async Task<(ApiTokenView Record, string Token)> IssueAsync(string name, IEnumerable<string> scopes, TimeSpan? lifetime, SealBinding? seal, Principal by,
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
        string? networks = null;
        if (list.Contains(ApiScopes.SealSign) || seal is not null)
        {
            if (seal is null || list.Length != 1 || list[0] != ApiScopes.SealSign)
            {
                throw SegelException.Invalid("scopes", Localized.Of("Error.SealTokenAlone", ApiScopes.SealSign));
            }
            networks = string.Join(' ', SealBinding.Check(seal.Networks));
            await using SegelDbContext check = _database.CreateContext();
            if (!await check.InstitutionalSeals.AnyAsync(x => x.Id == seal.SealId && x.State == SealState.Approved, cancellationToken))
            {
                throw SegelException.NotFound(Localized.Of("Error.NoApprovedSeal", seal.SealId));
            }
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
            SealId = seal?.SealId,
            Networks = networks,
        };
        await using SegelDbContext db = _database.CreateContext();
        db.ApiTokens.Add(record);
        AuditLog.Record(db, _time, by.ToActor(), "api-token.issued", label,
            new { scopes = record.Scopes, expiresAt = record.ExpiresAt, seal = record.SealId, networks = record.Networks });
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
        new(t.Id, t.Name, t.Scopes, t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= now ? "expired" : "active", t.ExpiresAt) { SealId = t.SealId, Networks = t.Networks };

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
        return new Principal($"api:{record.Name}", Role.None, Scopes: record.Scopes.Split(' ').ToHashSet(StringComparer.Ordinal))
        {
            SealId = record.SealId,
            Networks = record.Networks?.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        };
    }

}
