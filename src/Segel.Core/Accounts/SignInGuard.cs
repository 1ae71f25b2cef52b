using Microsoft.EntityFrameworkCore;
using Segel.Core.Kernel;
using Segel.Core.Privacy;
using Segel.Core.Storage;

namespace Segel.Core.Accounts;

/// <summary>
/// The sign-in lockout, held under parallel guesses and across nodes. An attempt is <em>claimed</em> by one conditional
/// update before the secret is checked, so however many guesses arrive at once, at most <see cref="UserAccounts.MaxFailures"/>
/// are ever checked; a wrong one that spends the last claim locks the name, a right one gives its claim back. Known and
/// unknown names are counted the same way, so the answers never tell which accounts exist.
/// </summary>
internal sealed class SignInGuard
{
    private const string Purpose = "sign-in-guard";
    private static readonly TimeSpan Forget = TimeSpan.FromDays(1);
    private readonly SegelDatabase _database;
    private readonly PersonalDataProtector _keys;

    public SignInGuard(SegelDatabase database, PersonalDataProtector keys)
    {
        _database = database;
        _keys = keys;
    }

    public string KeyOf(string username) => Convert.ToHexStringLower(_keys.Lookup(Purpose, username));

    /// <summary>Claims one attempt for <paramref name="username"/>: null when claimed, else when the name is locked until (or now, while all attempts are being checked).</summary>
    public async Task<DateTimeOffset?> ClaimAsync(string username, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string key = KeyOf(username);
        await using SegelDbContext db = _database.CreateContext();
        for (int round = 0; ; round++)
        {
            int claimed = await db.SignInGuards
                .Where(g => g.NameKey == key && (g.LockedUntil == null || g.LockedUntil <= now) && g.Failures < UserAccounts.MaxFailures)
                .ExecuteUpdateAsync(s => s.SetProperty(g => g.Failures, g => g.Failures + 1).SetProperty(g => g.LastAt, now), cancellationToken);
            if (claimed == 1)
            {
                return null;
            }
            var row = await db.SignInGuards.AsNoTracking().Where(g => g.NameKey == key).Select(g => new { g.LockedUntil }).SingleOrDefaultAsync(cancellationToken);
            if (row is not null)
            {
                return row.LockedUntil is { } until && until > now ? until : now;
            }
            // The first attempt for this name: insert it; of two nodes inserting at once one fails and claims the row instead.
            await db.SignInGuards.Where(g => g.LastAt < now - Forget && (g.LockedUntil == null || g.LockedUntil < now)).ExecuteDeleteAsync(cancellationToken);
            db.SignInGuards.Add(new SignInGuardRecord { NameKey = key, Failures = 1, LastAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return null;
            }
            catch (DbUpdateException) when (round < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>After a wrong secret: locks the name if this attempt spent the last claim. True when this one locked it.</summary>
    public async Task<bool> FailAsync(string username, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string key = KeyOf(username);
        DateTimeOffset? until = now + UserAccounts.LockoutDuration;
        await using SegelDbContext db = _database.CreateContext();
        bool locked = await db.SignInGuards
            .Where(g => g.NameKey == key && g.Failures >= UserAccounts.MaxFailures && (g.LockedUntil == null || g.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.LockedUntil, until).SetProperty(g => g.Failures, 0), cancellationToken) == 1;
        if (locked)
        {
            SegelMetrics.Locked("account");
        }
        return locked;
    }

    /// <summary>
    /// After the right secret: forgets the failures, unless the name was locked meanwhile (by parallel wrong guesses),
    /// in which case the lock stands and this is false.
    /// </summary>
    public async Task<bool> SucceedAsync(string username, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string key = KeyOf(username);
        await using SegelDbContext db = _database.CreateContext();
        return await db.SignInGuards.Where(g => g.NameKey == key && (g.LockedUntil == null || g.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.Failures, 0).SetProperty(g => g.LockedUntil, (DateTimeOffset?)null), cancellationToken) == 1;
    }

    /// <summary>Gives back a claim that proved nothing (the password was right but the second factor was not sent yet).</summary>
    public async Task ReleaseAsync(string username, CancellationToken cancellationToken)
    {
        string key = KeyOf(username);
        await using SegelDbContext db = _database.CreateContext();
        await db.SignInGuards.Where(g => g.NameKey == key && g.Failures > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.Failures, g => g.Failures - 1), cancellationToken);
    }

    /// <summary>Lifts the lock and the count (an administrator set a new password).</summary>
    public async Task ClearAsync(SegelDbContext db, string username, CancellationToken cancellationToken)
    {
        string key = KeyOf(username);
        await db.SignInGuards.Where(g => g.NameKey == key).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The names locked now, by key, for the account lists.</summary>
    public static async Task<Dictionary<string, DateTimeOffset>> LockedAsync(SegelDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.SignInGuards.AsNoTracking().Where(g => g.LockedUntil != null && g.LockedUntil > now)
            .ToDictionaryAsync(g => g.NameKey, g => g.LockedUntil!.Value, cancellationToken);
}
