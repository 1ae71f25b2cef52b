using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Accounts;

/// <summary>A session token handed out at sign-in, shown once.</summary>
public sealed record StartedSession(string Token, DateTimeOffset ExpiresAt, Principal Principal);

/// <summary>
/// Sessions for people signed in over HTTP (password, plus TOTP for officers and administrators). The token
/// carries 256 random bits and is stored as SHA-256; it ends after <see cref="IdleTimeout"/> without use or
/// <see cref="Lifetime"/> in all. The user's roles are read on every request, so a change applies at once.
/// </summary>
public sealed class Sessions
{
    public const string Prefix = "sgs_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    private readonly SegelDatabase _database;
    private readonly UserAccounts _users;
    private readonly ProviderSignIn _provider;
    private readonly TimeProvider _time;

    internal Sessions(SegelDatabase database, UserAccounts users, ProviderSignIn provider, TimeProvider time)
    {
        _database = database;
        _users = users;
        _provider = provider;
        _time = time;
    }

    public async Task<(SignInResult Result, StartedSession? Session)> StartAsync(string username, string password, string? totp, string? origin,
        CancellationToken cancellationToken = default) =>
        await OpenAsync(await _users.SignInAsync(username, password, totp, origin, cancellationToken), origin, cancellationToken);

    /// <summary>A session for someone the identity provider vouches for (see <see cref="ProviderSignIn"/>); <paramref name="totp"/> when Segel asked for it.</summary>
    public async Task<(SignInResult Result, StartedSession? Session)> StartAsync(ProviderIdentity identity, string? totp, string? origin,
        CancellationToken cancellationToken = default) =>
        await OpenAsync(await _provider.SignInAsync(identity, totp, origin, cancellationToken), origin, cancellationToken);

    private async Task<(SignInResult Result, StartedSession? Session)> OpenAsync(SignInResult result, string? origin, CancellationToken cancellationToken)
    {
        if (result.Outcome != SignInOutcome.Success || result.Principal?.UserId is not long userId)
        {
            return (result, null);
        }
        string token = BearerSecrets.New(Prefix);
        DateTimeOffset now = _time.GetUtcNow();
        var session = new SessionRecord
        {
            UserId = userId,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
            LastSeenAt = now,
            Origin = origin is { Length: > 128 } ? origin[..128] : origin,
        };
        await using SegelDbContext db = _database.CreateContext();
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return (result, new StartedSession(token, session.ExpiresAt, result.Principal));
    }

    /// <summary>The principal behind a session token, or null when it is unknown, ended, expired or idle too long.</summary>
    public async Task<Principal?> AuthenticateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }
        byte[] hash = Hash(token);
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        var found = await (from s in db.Sessions.AsNoTracking()
                           join u in db.Users.AsNoTracking() on s.UserId equals u.Id
                           where s.TokenHash == hash
                           select new { s.Id, s.ExpiresAt, s.LastSeenAt, s.EndedAt, User = u })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || found.EndedAt is not null || found.User.Disabled || found.ExpiresAt <= now || now - found.LastSeenAt > IdleTimeout)
        {
            return null;
        }
        // The roles are read on every request, so a role added in the database would count at once: not without the row's seal.
        if (!await IntegrityAlarm.IsIntactOrRaiseAsync(db, found.User, "sign-in", now, cancellationToken))
        {
            return null;
        }
        // Writing on every request would make each read a write; a minute's precision is enough for the idle limit.
        if (now - found.LastSeenAt > TimeSpan.FromMinutes(1))
        {
            await db.Sessions.Where(s => s.Id == found.Id).ExecuteUpdateAsync(x => x.SetProperty(s => s.LastSeenAt, now), cancellationToken);
        }
        UserRecord user = found.User;
        return new Principal(user.Username, (Role)user.Roles, user.AgencyId, user.Id, EmployeeId: user.EmployeeId, DisplayName: user.DisplayName);
    }

    public async Task EndAsync(string token, CancellationToken cancellationToken = default)
    {
        byte[] hash = Hash(token ?? "");
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        SessionRecord? session = await db.Sessions.SingleOrDefaultAsync(s => s.TokenHash == hash && s.EndedAt == null, cancellationToken);
        if (session is null)
        {
            return;
        }
        session.EndedAt = now;
        string username = await db.Users.Where(u => u.Id == session.UserId).Select(u => u.Username).SingleAsync(cancellationToken);
        AuditLog.Record(db, _time, new Actor(username), "user.signed-out", username);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static byte[] Hash(string token) => BearerSecrets.Hash(token);
}
