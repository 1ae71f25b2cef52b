using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Segel.Core.Audit;
using Segel.Core.Errors;
using Segel.Core.Kernel;
using Segel.Core.Privacy;
using Segel.Core.Storage;
using Segel.Texts;

namespace Segel.Core.Accounts;

public sealed record NewUser(string Username, string DisplayName, Role Roles, string Password, string? AgencyCode = null, string? EmployeeNip = null);

/// <summary>The account created, and — for roles that need one — the TOTP enrolment URI to show once.</summary>
public sealed record CreatedUser(long Id, string Username, Role Roles, int? AgencyId, long? EmployeeId, string? TotpUri)
{
    internal CreatedUser(UserRecord user, string? totpUri) : this(user.Id, user.Username, (Role)user.Roles, user.AgencyId, user.EmployeeId, totpUri)
    {
    }
}

/// <summary>
/// An account as administrators see it: never its password hash or TOTP secret. <see cref="Invited"/>: made for a holder
/// and waiting for them to choose a password through the invitation link. <see cref="ProviderLinked"/>: linked to an
/// account at the identity provider by a sign-in there.
/// </summary>
public sealed record UserView(string Username, string DisplayName, Role Roles, string? Agency, string? EmployeeNip, bool Disabled, DateTimeOffset? LockedUntil,
    bool SecondFactor, DateTimeOffset CreatedAt, bool Invited = false, bool ProviderLinked = false);

/// <summary>
/// Accounts and sign-in: Argon2id passwords, TOTP for administrators and RA officers, and a lockout after
/// repeated failures. A failed sign-in costs the same time whether or not the user exists.
/// </summary>
public sealed partial class UserAccounts
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    private const string TotpPurpose = "totp";
    private readonly SegelDatabase _database;
    private readonly PersonalDataProtector _secrets;
    private readonly PasswordHasher _hasher;
    private readonly TimeProvider _time;
    private readonly string _issuerLabel;
    private readonly Lazy<string> _dummyHash;

    internal UserAccounts(SegelDatabase database, PersonalDataProtector secrets, PasswordHasher hasher, TimeProvider time, string issuerLabel)
    {
        _database = database;
        _secrets = secrets;
        _hasher = hasher;
        _time = time;
        _issuerLabel = issuerLabel;
        _dummyHash = new Lazy<string>(() => _hasher.Hash(Guid.NewGuid().ToString()));
        Guard = new SignInGuard(database, secrets);
    }

    public async Task<CreatedUser> CreateAsync(NewUser request, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "create-accounts");
        string username = (request.Username ?? "").Trim().ToLowerInvariant();
        if (!UsernamePattern().IsMatch(username))
        {
            throw SegelException.Invalid("username", Localized.Of("Error.Username364CharactersLower"));
        }
        string name = Ca.SubjectValidation.Name(request.DisplayName, "name");
        if (request.Roles == Role.None)
        {
            throw SegelException.Invalid("roles", Localized.Of("Error.GiveLeastRole", Roles.Names));
        }
        ValidatePassword(request.Password, username);

        await using SegelDbContext db = _database.CreateContext();
        int? agencyId = await AgencyForAsync(db, request.Roles, request.AgencyCode, null, cancellationToken);
        long? employeeId = null;
        if (!string.IsNullOrWhiteSpace(request.EmployeeNip))
        {
            string nip = request.EmployeeNip.Trim();
            employeeId = await db.Employees.Where(e => e.Nip == nip).Select(e => (long?)e.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw SegelException.NotFound(Localized.Of("Error.NoEmployeeNip", nip));
            // One person, one account: a holder's account made at issuance (username: the NIP) is given other roles instead.
            if (await db.Users.Where(u => u.EmployeeId == employeeId).Select(u => u.Username).FirstOrDefaultAsync(cancellationToken) is { } existing)
            {
                throw SegelException.Conflict(Localized.Of("Error.EmployeeAlreadyAccountGiveOther", nip, existing));
            }
        }
        if (await db.Users.AnyAsync(u => u.Username == username, cancellationToken))
        {
            throw SegelException.Conflict(Localized.Of("Error.UsernameTaken", username));
        }
        string? totpUri = null;
        byte[]? sealedTotp = null;
        if ((request.Roles & Roles.NeedSecondFactor) != 0)
        {
            (sealedTotp, totpUri) = NewSecondFactor(username);
        }
        var user = new UserRecord
        {
            Username = username,
            DisplayName = name,
            Roles = (int)request.Roles,
            AgencyId = agencyId,
            EmployeeId = employeeId,
            PasswordHash = _hasher.Hash(request.Password),
            TotpSecretSealed = sealedTotp,
            CreatedAt = _time.GetUtcNow(),
        };
        db.Users.Add(user);
        AuditLog.Record(db, _time, by.ToActor(), "user.created", username, new { roles = request.Roles.ToString(), agency = request.AgencyCode, employee = request.EmployeeNip });
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedUser(user, totpUri);
    }

    public async Task<IReadOnlyList<UserView>> ListAsync(Principal by, CancellationToken cancellationToken = default) =>
        await ViewsAsync(null, by, cancellationToken);

    public async Task<UserView> GetAsync(string? username, Principal by, CancellationToken cancellationToken = default)
    {
        string name = (username ?? "").Trim().ToLowerInvariant();
        return (await ViewsAsync(name, by, cancellationToken)).SingleOrDefault() ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchUser", name));
    }

    private async Task<IReadOnlyList<UserView>> ViewsAsync(string? only, Principal by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin | Role.Auditor, "list-accounts");
        await using SegelDbContext db = _database.CreateContext();
        var rows = await (from u in db.Users.AsNoTracking().Where(u => only == null || u.Username == only)
                          join a in db.Agencies.AsNoTracking() on u.AgencyId equals a.Id into agencies
                          from a in agencies.DefaultIfEmpty()
                          join e in db.Employees.AsNoTracking() on u.EmployeeId equals e.Id into employees
                          from e in employees.DefaultIfEmpty()
                          orderby u.Username
                          select new { u, Agency = a == null ? null : a.Code, Nip = e == null ? null : e.Nip }).ToListAsync(cancellationToken);
        Dictionary<string, DateTimeOffset> locked = await SignInGuard.LockedAsync(db, _time.GetUtcNow(), cancellationToken);
        return rows.Select(r => new UserView(r.u.Username, r.u.DisplayName, (Role)r.u.Roles, r.Agency, r.Nip, r.u.Disabled,
            locked.TryGetValue(Guard.KeyOf(r.u.Username), out DateTimeOffset until) ? until : null,
            r.u.TotpSecretSealed is not null, r.u.CreatedAt, r.u.PasswordHash == Invitations.NoPassword, r.u.ProviderSubject is not null)).ToList();
    }

    /// <summary>
    /// Gives an account other roles (administrators; not their own). An agency head needs an agency; a role that signs in
    /// with an authenticator gets a new secret if the account has none, returned as the otpauth URI to show once.
    /// Sessions pick the new roles up on their next request.
    /// </summary>
    public async Task<string?> ChangeRolesAsync(string? username, Role roles, string? agencyCode, Principal by, string? origin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "change-roles");
        string name = (username ?? "").Trim().ToLowerInvariant();
        if (name == by.Name)
        {
            throw SegelException.Refused(Localized.Of("Error.AdministratorCannotChangeTheirOwn"));
        }
        if (roles == Role.None)
        {
            throw SegelException.Invalid("roles", Localized.Of("Error.GiveLeastRole", Roles.Names));
        }
        await using SegelDbContext db = _database.CreateContext();
        UserRecord user = await db.Users.SingleOrDefaultAsync(u => u.Username == name, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchUser", name));
        int? agencyId = await AgencyForAsync(db, roles, agencyCode, user.AgencyId, cancellationToken);
        string? totpUri = null;
        if ((roles & Roles.NeedSecondFactor) != 0 && user.TotpSecretSealed is null)
        {
            (user.TotpSecretSealed, totpUri) = NewSecondFactor(name);
            user.TotpLastStep = 0;
        }
        if ((Role)user.Roles == roles && user.AgencyId == agencyId && totpUri is null)
        {
            return null;
        }
        AuditLog.Record(db, _time, by.ToActor(origin), "user.roles-changed", name, new
        {
            from = ((Role)user.Roles).ToString(),
            to = roles.ToString(),
            agency = agencyId is null ? null : await db.Agencies.Where(a => a.Id == agencyId).Select(a => a.Code).SingleAsync(cancellationToken),
            secondFactorMade = totpUri is not null,
        });
        user.Roles = (int)roles;
        user.AgencyId = agencyId;
        await db.SaveChangesAsync(cancellationToken);
        return totpUri;
    }

    /// <summary>The agency an account acts for: an agency head needs one (the given code, else the one they have); others none.</summary>
    private static async Task<int?> AgencyForAsync(SegelDbContext db, Role roles, string? code, int? current, CancellationToken cancellationToken)
    {
        if (!roles.HasFlag(Role.AgencyHead))
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(code))
        {
            return current ?? throw SegelException.Invalid("agency", Localized.Of("Error.AgencyHeadNeedsAgencyThey"));
        }
        string wanted = code.Trim().ToUpperInvariant();
        return await db.Agencies.Where(a => a.Code == wanted).Select(a => (int?)a.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoAgencyCode", wanted));
    }

    /// <summary>Disables an account (its sessions stop at once: they read the account on every request) or enables it again.</summary>
    public async Task SetDisabledAsync(string username, bool disabled, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        by.Require(Role.Admin, "disable-accounts");
        string name = (username ?? "").Trim().ToLowerInvariant();
        if (name == by.Name)
        {
            throw SegelException.Refused(Localized.Of("Error.AdministratorCannotDisableTheirOwn"));
        }
        await using SegelDbContext db = _database.CreateContext();
        UserRecord user = await db.Users.SingleOrDefaultAsync(u => u.Username == name, cancellationToken)
            ?? throw SegelException.NotFound(Localized.Of("Error.NoSuchUser", name));
        if (user.Disabled == disabled)
        {
            return;
        }
        user.Disabled = disabled;
        AuditLog.Record(db, _time, by.ToActor(), disabled ? "user.disabled" : "user.enabled", name);
        await db.SaveChangesAsync(cancellationToken);
        if (disabled)
        {
            // An unused invitation would open the account again (accepting one enables its account); a new one can be sent.
            DateTimeOffset now = _time.GetUtcNow();
            await Invitations.VoidUnusedAsync(db, [user.Id], now, cancellationToken);
        }
    }

    public async Task<SignInResult> SignInAsync(string username, string password, string? totpCode, string? origin, CancellationToken cancellationToken = default)
    {
        string name = (username ?? "").Trim().ToLowerInvariant();
        DateTimeOffset now = _time.GetUtcNow();
        if (name.Length > 256 || (password ?? "").Length > MaxPasswordLength)
        {
            return new SignInResult(SignInOutcome.Invalid); // longer than any account's name or password: not worth an Argon2id
        }
        // The attempt is claimed before anything is checked, for known and unknown names alike (see SignInGuard).
        if (await Guard.ClaimAsync(name, now, cancellationToken) is { } lockedUntil)
        {
            return new SignInResult(SignInOutcome.Locked, LockedUntil: lockedUntil);
        }
        await using SegelDbContext db = _database.CreateContext();
        UserRecord? user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == name, cancellationToken);
        // Hash even for an unknown user, so timing does not tell which usernames exist.
        // An account waiting for its invitation to be accepted has no password: it hashes against the dummy too.
        string hash = user is null || user.PasswordHash == Invitations.NoPassword ? _dummyHash.Value : user.PasswordHash;
        bool passwordOk = PasswordHasher.Verify(password ?? "", hash) && user is not null && user.PasswordHash != Invitations.NoPassword;
        var actor = new Actor(name, origin);
        bool secondFactorOk = true;
        if (passwordOk && user!.TotpSecretSealed is not null)
        {
            if (string.IsNullOrWhiteSpace(totpCode))
            {
                await Guard.ReleaseAsync(name, cancellationToken);
                return new SignInResult(SignInOutcome.SecondFactorRequired); // ask for it; not a failure
            }
            secondFactorOk = await CodeAcceptedAsync(db, user, totpCode, now, cancellationToken);
        }
        if (!passwordOk || !secondFactorOk)
        {
            // Wrong passwords and wrong codes count alike, so neither can be guessed past the lockout.
            bool locking = await Guard.FailAsync(name, now, cancellationToken);
            if (user is not null)
            {
                AuditLog.Record(db, _time, actor, locking ? "user.locked" : "user.sign-in-failed", name, new { secondFactor = passwordOk });
                await db.SaveChangesAsync(cancellationToken);
            }
            return locking ? new SignInResult(SignInOutcome.Locked, LockedUntil: now + LockoutDuration)
                : passwordOk ? new SignInResult(SignInOutcome.SecondFactorRequired)
                : new SignInResult(SignInOutcome.Invalid);
        }
        if (!await Guard.SucceedAsync(name, now, cancellationToken))
        {
            return new SignInResult(SignInOutcome.Locked, LockedUntil: now + LockoutDuration); // parallel wrong guesses locked it meanwhile
        }
        if (user!.Disabled)
        {
            return new SignInResult(SignInOutcome.Disabled); // told only to whoever knows the password
        }
        if (!await IntegrityAlarm.IsIntactOrRaiseAsync(db, user, "sign-in", now, cancellationToken))
        {
            return new SignInResult(SignInOutcome.Invalid); // an account changed behind Segel's back (a role added, a password swapped) opens nothing
        }
        AuditLog.Record(db, _time, actor, "user.signed-in", name);
        await db.SaveChangesAsync(cancellationToken);
        return new SignInResult(SignInOutcome.Success, new Principal(name, (Role)user.Roles, user.AgencyId, user.Id, EmployeeId: user.EmployeeId));
    }

    /// <summary>The account's authenticator code. A code is accepted once: a replayed code is as wrong as a mistyped one; of two requests with one code, one wins.</summary>
    internal async Task<bool> CodeAcceptedAsync(SegelDbContext db, UserRecord user, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var totp = new Totp(Base32Encoding.ToBytes(_secrets.Open(TotpPurpose, user.TotpSecretSealed!)));
        return totp.VerifyTotp(now.UtcDateTime, code.Trim(), out long step, VerificationWindow.RfcSpecifiedNetworkDelay)
            && await db.Users.Where(u => u.Id == user.Id && u.TotpLastStep < step)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpLastStep, step), cancellationToken) == 1;
    }

    /// <summary>The lockout counter every proof of an account's password or code goes through.</summary>
    internal SignInGuard Guard { get; }

    /// <summary>A new TOTP secret: sealed for the database, and as the otpauth URI to show its owner once.</summary>
    internal (byte[] Sealed, string Uri) NewSecondFactor(string username)
    {
        byte[] secret = KeyGeneration.GenerateRandomKey(20);
        return (_secrets.Seal(TotpPurpose, Base32Encoding.ToString(secret)), new OtpUri(OtpType.Totp, secret, username, _issuerLabel).ToString());
    }

    internal string HashPassword(string password) => _hasher.Hash(password);

    /// <summary>The longest password an account can have; sign-in refuses longer ones before hashing.</summary>
    public const int MaxPasswordLength = 1024;

    internal static void ValidatePassword(string? password, string username)
    {
        if (string.IsNullOrEmpty(password) || password.Length < PasswordHasher.MinLength)
        {
            throw SegelException.Invalid("password", Localized.Of("Error.PasswordLeastCharacters", PasswordHasher.MinLength));
        }
        if (password.Length > MaxPasswordLength)
        {
            // Sign-in never hashes a longer one; refusing it here keeps every account able to sign in.
            throw SegelException.Invalid("password", Localized.Of("Error.PasswordMostCharacters", MaxPasswordLength));
        }
        if (password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            throw SegelException.Invalid("password", Localized.Of("Error.PasswordNotContainUsername"));
        }
    }

    [GeneratedRegex("^[a-z0-9._-]{3,64}$")]
    private static partial Regex UsernamePattern();
}
