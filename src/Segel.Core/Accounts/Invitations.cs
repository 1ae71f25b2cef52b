using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Notifications;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Accounts;

/// <summary>The account an invitation opens, as its page shows it before the holder chooses a password.</summary>
public sealed record InvitationView(string Username, string DisplayName, DateTimeOffset ExpiresAt);

/// <summary>What a personnel import did to accounts: how many it made (each invited), and the NIPs it could not give one.</summary>
public sealed record AccountsOpened(int Made, IReadOnlyList<string> Skipped);

/// <summary>What a holder's next step into the portal is, for the e-mail that tells them.</summary>
public sealed record PortalAccess(string Username, string? InvitationLink, DateTimeOffset? ExpiresAt)
{
    /// <summary>An account that still waits for its first password: the link sets it.</summary>
    public bool Invited => InvitationLink is not null;
}

/// <summary>
/// Accounts for holders who have none (issue 19.8, 20.1): Segel makes a holder's account, disabled, with no password
/// — the username is the NIP — and sends a single-use link to the official e-mail, where the holder sets the password
/// and the account opens. No password is ever e-mailed; only the link's SHA-256 is stored; of two requests with one
/// link, one wins (a conditional update). An administrator can send a new link when one expired or went astray.
/// </summary>
public sealed class Invitations
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    /// <summary>
    /// The password hash of an account whose password is not chosen yet: no Argon2id string, so no password matches it
    /// (sign-in then hashes against a dummy, so timing does not tell such an account from a wrong password).
    /// </summary>
    internal const string NoPassword = "!invited";

    private readonly SegelDatabase _database;
    private readonly UserAccounts _users;
    private readonly MailOutbox _outbox;
    private readonly string _baseUrl;
    private readonly string _organization;
    private readonly TimeProvider _time;

    internal Invitations(SegelDatabase database, UserAccounts users, MailOutbox outbox, string baseUrl, string organization, TimeProvider time)
    {
        _database = database;
        _users = users;
        _outbox = outbox;
        _baseUrl = baseUrl.TrimEnd('/');
        _organization = organization;
        _time = time;
    }

    /// <summary>
    /// In the caller's unit of work: the employee's account, made if missing, and a new invitation if it has no password
    /// yet (older unused ones stop working). Null when the employee cannot have one here: an account an administrator
    /// disabled, or the NIP taken as another account's username.
    /// </summary>
    internal async Task<PortalAccess?> PrepareIntoAsync(SegelDbContext db, EmployeeRecord employee, Actor actor, CancellationToken cancellationToken)
    {
        UserRecord? user = await db.Users.SingleOrDefaultAsync(u => u.EmployeeId == employee.Id, cancellationToken);
        DateTimeOffset now = _time.GetUtcNow();
        if (user is null)
        {
            if (await db.Users.AnyAsync(u => u.Username == employee.Nip, cancellationToken))
            {
                return null;
            }
            user = NewAccount(db, employee, Role.Subscriber, actor, now);
            await db.SaveChangesAsync(cancellationToken);
        }
        if (user.PasswordHash != NoPassword)
        {
            return user.Disabled ? null : new PortalAccess(user.Username, null, null);
        }
        // A new link replaces any earlier one still unused: only the newest e-mail works.
        await VoidUnusedAsync(db, [user.Id], now, cancellationToken);
        PortalAccess access = NewInvitation(db, user, actor, now);
        await db.SaveChangesAsync(cancellationToken);
        return access;
    }

    /// <summary>
    /// In the caller's unit of work, for a personnel import (issue 20.1): an account for every one of
    /// <paramref name="employees"/> who has none, with <paramref name="roles"/>'s role for them (subscriber, or also
    /// agency head), and the invitation e-mail to their official address. Employees who have an account keep it as it
    /// is (a re-import sends nobody a second e-mail); an employee whose NIP is another account's username is skipped
    /// and named. Four round trips whatever the number of employees.
    /// </summary>
    internal async Task<AccountsOpened> OpenAccountsIntoAsync(SegelDbContext db, IReadOnlyList<EmployeeRecord> employees, Func<EmployeeRecord, Role> roles,
        Actor actor, CancellationToken cancellationToken)
    {
        HashSet<long> withAccount = (await db.Users.Where(u => u.EmployeeId != null).Select(u => u.EmployeeId!.Value).ToListAsync(cancellationToken)).ToHashSet();
        HashSet<string> usernames = (await db.Users.Select(u => u.Username).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        DateTimeOffset now = _time.GetUtcNow();
        var made = new List<(EmployeeRecord Employee, UserRecord User)>();
        var skipped = new List<string>();
        foreach (EmployeeRecord employee in employees.Where(e => !withAccount.Contains(e.Id)))
        {
            if (!usernames.Add(employee.Nip))
            {
                skipped.Add(employee.Nip);
                continue;
            }
            made.Add((employee, NewAccount(db, employee, roles(employee), actor, now)));
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach ((EmployeeRecord employee, UserRecord user) in made)
        {
            PortalAccess access = NewInvitation(db, user, actor, now);
            _outbox.Enqueue(db, InvitationMail(employee, access));
        }
        await db.SaveChangesAsync(cancellationToken);
        return new AccountsOpened(made.Count, skipped);
    }

    /// <summary>
    /// Makes the unused links of <paramref name="userIds"/> unusable (marked used, outside the row's seal): when a newer link
    /// replaces them, or when the account is closed — accepting a link enables its account.
    /// </summary>
    internal static Task<int> VoidUnusedAsync(SegelDbContext db, IReadOnlyCollection<long> userIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Invitations.Where(i => userIds.Contains(i.UserId) && i.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now), cancellationToken);

    private UserRecord NewAccount(SegelDbContext db, EmployeeRecord employee, Role roles, Actor actor, DateTimeOffset now)
    {
        var user = new UserRecord
        {
            Username = employee.Nip,
            DisplayName = employee.Name,
            Roles = (int)roles,
            AgencyId = roles.HasFlag(Role.AgencyHead) ? employee.AgencyId : null,
            EmployeeId = employee.Id,
            PasswordHash = NoPassword,
            Disabled = true,
            CreatedAt = now,
        };
        db.Users.Add(user);
        // "user.created" with the username as subject, as every account's creation: the seal check knows accounts by it.
        AuditLog.Record(db, _time, actor, "user.created", user.Username, new { roles = roles.ToString(), employee = employee.Nip, invited = true });
        return user;
    }

    private PortalAccess NewInvitation(SegelDbContext db, UserRecord user, Actor actor, DateTimeOffset now)
    {
        string token = BearerSecrets.New();
        var invitation = new InvitationRecord { UserId = user.Id, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime };
        db.Invitations.Add(invitation);
        AuditLog.Record(db, _time, actor, "user.invited", user.Username, new { expiresAt = invitation.ExpiresAt });
        return new PortalAccess(user.Username, $"{_baseUrl}/undangan/{token}", invitation.ExpiresAt);
    }

    private MailMessage InvitationMail(EmployeeRecord employee, PortalAccess access) =>
        MailMessages.Compose("Invitation", employee.Email, MailMessages.Indonesian, employee.Name, access.Username,
            access.InvitationLink!, MailMessages.Date(access.ExpiresAt!.Value, MailMessages.Indonesian), _organization, _baseUrl);

    /// <summary>
    /// An administrator (or RA officer, who meets holders) sends a holder a new link to their official e-mail — made
    /// with the account if the employee has none. Refused for an account that already has its password.
    /// </summary>
    public async Task<PortalAccess> SendAsync(string? nip, Principal by, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.RaOfficer, "send-portal-invitations");
        string wanted = (nip ?? "").Trim();
        await using SegelDbContext db = _database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        EmployeeRecord employee = await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Nip == wanted, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoEmployeeNip", wanted));
        PortalAccess? prepared;
        try
        {
            prepared = await PrepareIntoAsync(db, employee, by.ToActor(origin), cancellationToken);
        }
        catch (DbUpdateException e) when (SegelDatabase.IsUniqueViolation(e))
        {
            // Two first invitations at once both made the account; the other one's link is on its way.
            throw SegelException.Conflict(Localized.Of("Error.AnotherInvitationBeingSentSame", wanted));
        }
        PortalAccess access = prepared
            ?? throw SegelException.Refused(Localized.Of("Error.EmployeeCannotInvitedTheirAccount", wanted));
        if (!access.Invited)
        {
            throw SegelException.Conflict(Localized.Of("Error.ChosenPasswordAlreadyAdministratorSet", access.Username));
        }
        _outbox.Enqueue(db, InvitationMail(employee, access));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        _outbox.NotifyQueued();
        return access with { InvitationLink = null };
    }

    /// <summary>The account a link opens, for its page. Anyone may ask: the link is the secret.</summary>
    public async Task<InvitationView> OpenAsync(string? token, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        (InvitationRecord invitation, UserRecord user) = await FindAsync(db, token, cancellationToken);
        return new InvitationView(user.Username, user.DisplayName, invitation.ExpiresAt);
    }

    /// <summary>
    /// Sets the first password and opens the account. The link is used up only when the password is acceptable, so a
    /// refused password can be chosen again with the same link.
    /// </summary>
    public async Task<string> AcceptAsync(string? token, string? password, string? origin, CancellationToken cancellationToken = default)
    {
        await using SegelDbContext db = _database.CreateContext();
        (InvitationRecord found, UserRecord peek) = await FindAsync(db, token, cancellationToken);
        UserAccounts.ValidatePassword(password, peek.Username);
        string hash = _users.HashPassword(password!); // before the transaction: Argon2id takes a while
        DateTimeOffset now = _time.GetUtcNow();
        if (!await IntegrityAlarm.IsIntactOrRaiseAsync(db, found, "open-an-account", now, cancellationToken))
        {
            throw Unusable();
        }
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        int claimed = await db.Invitations.Where(i => i.Id == found.Id && i.UsedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now), cancellationToken);
        UserRecord user = await db.Users.SingleAsync(u => u.Id == found.UserId, cancellationToken);
        if (claimed != 1 || user.PasswordHash != NoPassword)
        {
            throw Unusable(); // the other request won, or the account has a password by now
        }
        user.PasswordHash = hash;
        user.Disabled = false;
        AuditLog.Record(db, _time, new Actor(user.Username, origin), "user.invitation-accepted", user.Username);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return user.Username;
    }

    private async Task<(InvitationRecord Invitation, UserRecord User)> FindAsync(SegelDbContext db, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            throw Unusable();
        }
        byte[] hash = Hash(token.Trim());
        DateTimeOffset now = _time.GetUtcNow();
        var found = await (from i in db.Invitations.AsNoTracking()
                           join u in db.Users.AsNoTracking() on i.UserId equals u.Id
                           where i.TokenHash == hash
                           select new { i, u }).SingleOrDefaultAsync(cancellationToken);
        if (found is null || found.i.UsedAt is not null || found.i.ExpiresAt <= now || found.u.PasswordHash != NoPassword)
        {
            throw Unusable();
        }
        return (found.i, found.u);
    }

    private static SegelException Unusable() =>
        SegelException.NotFound(Localized.Of("Error.InvitationLinkNotValidMore"));

    private static byte[] Hash(string token) => BearerSecrets.Hash(token);
}
