using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Accounts;

/// <summary>
/// A person changes their own password; an administrator sets a new one for someone who forgot theirs, or gives an
/// officer a new authenticator secret after a lost phone. Each ends every session of the account (whoever held the
/// old secret is out at once) and is audited with it.
/// </summary>
public sealed class AccountCredentials
{
    private readonly SegelDatabase _database;
    private readonly UserAccounts _users;
    private readonly TimeProvider _time;

    internal AccountCredentials(SegelDatabase database, UserAccounts users, TimeProvider time)
    {
        _database = database;
        _users = users;
        _time = time;
    }

    /// <summary>
    /// Changes the caller's own password. A wrong current password counts as a failed sign-in, so a session left open
    /// on a shared computer cannot be used to guess it past the lockout.
    /// </summary>
    public async Task ChangeOwnPasswordAsync(string? current, string? next, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (by.UserId is not long id)
        {
            throw SegelException.Refused(Localized.Of("Error.NotPersonAccountNoPassword", by.Name));
        }
        await using SegelDbContext db = _database.CreateContext();
        UserRecord user = await db.Users.SingleAsync(u => u.Id == id, cancellationToken);
        DateTimeOffset now = _time.GetUtcNow();
        if (await _users.Guard.ClaimAsync(user.Username, now, cancellationToken) is { } until)
        {
            throw SegelException.Refused(Localized.Of("Error.AccountLockedAfterRepeatedFailures", until));
        }
        if (!PasswordHasher.Verify(current ?? "", user.PasswordHash))
        {
            bool locking = await _users.Guard.FailAsync(user.Username, now, cancellationToken);
            if (locking)
            {
                await EndSessionsAsync(db, user.Id, now, cancellationToken);
            }
            AuditLog.Record(db, _time, by.ToActor(origin), locking ? "user.locked" : "user.password-change-failed", user.Username);
            await db.SaveChangesAsync(cancellationToken);
            throw locking
                ? SegelException.Refused(Localized.Of("Error.CurrentPasswordWrongTooOften", (int)UserAccounts.LockoutDuration.TotalMinutes))
                : SegelException.Invalid("currentPassword", Localized.Of("Error.CurrentPasswordNotRight"));
        }
        if (!await _users.Guard.SucceedAsync(user.Username, now, cancellationToken))
        {
            throw SegelException.Refused(Localized.Of("Error.AccountLockedAfterRepeatedFailuresTry", (int)UserAccounts.LockoutDuration.TotalMinutes));
        }
        try
        {
            UserAccounts.ValidatePassword(next, user.Username);
        }
        catch (SegelException e)
        {
            throw SegelException.Invalid("newPassword", e.Text);
        }
        if (PasswordHasher.Verify(next!, user.PasswordHash))
        {
            throw SegelException.Invalid("newPassword", Localized.Of("Error.NewPasswordDifferCurrent"));
        }
        user.PasswordHash = _users.HashPassword(next!);
        await EndSessionsAsync(db, user.Id, now, cancellationToken);
        AuditLog.Record(db, _time, by.ToActor(origin), "user.password-changed", user.Username);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>An administrator sets a new password for another account (forgotten password); the lockout is lifted.</summary>
    public async Task ResetPasswordAsync(string? username, string? password, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        UserRecord user = await OtherAccountAsync(db, username, by, "set-passwords", cancellationToken);
        UserAccounts.ValidatePassword(password, user.Username);
        user.PasswordHash = _users.HashPassword(password!);
        await _users.Guard.ClearAsync(db, user.Username, cancellationToken);
        await EndSessionsAsync(db, user.Id, _time.GetUtcNow(), cancellationToken);
        AuditLog.Record(db, _time, by.ToActor(origin), "user.password-reset", user.Username);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// An administrator gives an officer or administrator a new authenticator secret (a lost or replaced phone); the old
    /// one stops working at once. Returns the otpauth URI, to be shown once.
    /// </summary>
    public async Task<string> RenewSecondFactorAsync(string? username, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        UserRecord user = await OtherAccountAsync(db, username, by, "renew-authenticators", cancellationToken);
        if (((Role)user.Roles & Roles.NeedSecondFactor) == 0)
        {
            throw SegelException.Refused(Localized.Of("Error.SignsPasswordAloneOfficersAdministrators", user.Username));
        }
        (byte[] sealedSecret, string uri) = _users.NewSecondFactor(user.Username);
        user.TotpSecretSealed = sealedSecret;
        user.TotpLastStep = 0;
        await EndSessionsAsync(db, user.Id, _time.GetUtcNow(), cancellationToken);
        AuditLog.Record(db, _time, by.ToActor(origin), "user.second-factor-renewed", user.Username);
        await db.SaveChangesAsync(cancellationToken);
        return uri;
    }

    /// <summary>
    /// An administrator undoes the link to the identity provider (issue 20.2): when the provider gave the person a new
    /// account, or the wrong provider account was linked. The next sign-in through the provider links again by NIP or
    /// e-mail; the account's sessions end, in case the wrong person holds one.
    /// </summary>
    public async Task UnlinkProviderAsync(string? username, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        UserRecord user = await OtherAccountAsync(db, username, by, "unlink-identity-provider-accounts", cancellationToken);
        if (user.ProviderSubject is null)
        {
            throw SegelException.Conflict(Localized.Of("Error.NotLinkedIdentityProviderAccount", user.Username));
        }
        string was = user.ProviderSubject;
        user.ProviderSubject = null;
        await EndSessionsAsync(db, user.Id, _time.GetUtcNow(), cancellationToken);
        AuditLog.Record(db, _time, by.ToActor(origin), "user.provider-unlinked", user.Username, new { was });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>An administrator acting on someone else's account: their own goes through the self-service path, which asks for the current password.</summary>
    private static async Task<UserRecord> OtherAccountAsync(SegelDbContext db, string? username, Principal by, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, action);
        string name = (username ?? "").Trim().ToLowerInvariant();
        if (name == by.Name)
        {
            throw SegelException.Refused(Localized.Of("Error.ChangeYourOwnPasswordYour"));
        }
        return await db.Users.SingleOrDefaultAsync(u => u.Username == name, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchUser", name));
    }

    private static async Task EndSessionsAsync(SegelDbContext db, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (SessionRecord session in await db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null).ToListAsync(cancellationToken))
        {
            session.EndedAt = now;
        }
    }
}
