using Microsoft.EntityFrameworkCore;
using Segel.Core.Audit;
using Segel.Core.Configuration;
using Segel.Core.Kernel;
using Segel.Core.Storage;

namespace Segel.Core.Accounts;

/// <summary>
/// What the regency's identity provider asserted about a person. The adapter reads it from an ID token whose signature,
/// issuer, audience, nonce and lifetime it checked, and from the provider's userinfo endpoint. <see cref="Methods"/>:
/// the token's <c>amr</c> (RFC 8176).
/// </summary>
public sealed record ProviderIdentity(string Issuer, string Subject, string? Nip, string? Email, bool EmailVerified, IReadOnlyCollection<string> Methods);

/// <summary>
/// Sign-in through the identity provider (issue 20.2). The provider proves who someone is; Segel decides which account
/// that is and what it may do. The first sign-in finds the employee by the NIP claim, else by a verified official
/// e-mail, and links the employee's account to the provider's subject for good; later sign-ins go by the link alone, so
/// a NIP or address later reassigned at the provider opens nothing. An account linked to one provider account is never
/// opened by another. Officers and administrators still give a second factor: the provider's, when its <c>amr</c> names
/// one the installation trusts, else Segel's authenticator code, which counts against the lockout like any other.
/// An account the import made and whose invitation is still open is opened by its first sign-in here (the invitation is
/// voided): the provider has proven what the link would have.
/// </summary>
internal sealed class ProviderSignIn
{
    private const int MaxPart = 255;
    private readonly SegelDatabase _database;
    private readonly UserAccounts _users;
    private readonly bool _requireVerifiedEmail;
    private readonly IReadOnlyList<string> _secondFactorMethods;
    private readonly TimeProvider _time;

    internal ProviderSignIn(SegelDatabase database, UserAccounts users, SignOnOptions options, TimeProvider time)
    {
        _database = database;
        _users = users;
        _requireVerifiedEmail = options.RequireVerifiedEmail;
        _secondFactorMethods = options.EffectiveSecondFactorMethods();
        _time = time;
    }

    public async Task<SignInResult> SignInAsync(ProviderIdentity identity, string? totpCode, string? origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (string.IsNullOrWhiteSpace(identity.Issuer) || string.IsNullOrWhiteSpace(identity.Subject)
            || identity.Issuer.Length > MaxPart || identity.Subject.Length > MaxPart)
        {
            return new SignInResult(SignInOutcome.NotLinked);
        }
        string link = $"{identity.Issuer.Trim()} {identity.Subject.Trim()}";
        DateTimeOffset now = _time.GetUtcNow();
        await using SegelDbContext db = _database.CreateContext();
        UserRecord? user = await db.Users.SingleOrDefaultAsync(u => u.ProviderSubject == link, cancellationToken)
            ?? await MatchAsync(db, identity, link, origin, cancellationToken);
        if (user is null)
        {
            return new SignInResult(SignInOutcome.NotLinked);
        }
        var actor = new Actor(user.Username, origin);
        bool opening = false;
        if (user.Disabled)
        {
            opening = user.PasswordHash == Invitations.NoPassword
                && await db.Invitations.AnyAsync(i => i.UserId == user.Id && i.UsedAt == null && i.ExpiresAt > now, cancellationToken);
            if (!opening)
            {
                return new SignInResult(SignInOutcome.Disabled);
            }
        }
        string? secondFactor = null;
        if (user.TotpSecretSealed is not null)
        {
            secondFactor = identity.Methods.FirstOrDefault(m => _secondFactorMethods.Contains(m, StringComparer.Ordinal));
            if (secondFactor is null)
            {
                if (await CheckCodeAsync(db, user, totpCode, actor, now, cancellationToken) is { } refused)
                {
                    return refused;
                }
                secondFactor = "segel-totp";
            }
        }
        if (!await IntegrityAlarm.IsIntactOrRaiseAsync(db, user, "sign-in", now, cancellationToken))
        {
            return new SignInResult(SignInOutcome.Invalid); // an account changed behind Segel's back opens nothing
        }
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (opening)
        {
            // Voided first: of this sign-in and the holder accepting the link at the same moment, one opens the account.
            if (await Invitations.VoidUnusedAsync(db, [user.Id], now, cancellationToken) == 0)
            {
                return new SignInResult(SignInOutcome.Disabled);
            }
            user.Disabled = false;
            AuditLog.Record(db, _time, actor, "user.invitation-accepted", user.Username, new { via = "provider" });
        }
        bool linking = user.ProviderSubject is null;
        if (linking)
        {
            user.ProviderSubject = link;
            AuditLog.Record(db, _time, actor, "user.provider-linked", user.Username, new { issuer = identity.Issuer, subject = identity.Subject });
        }
        AuditLog.Record(db, _time, actor, "user.signed-in", user.Username, new { via = "provider", secondFactor });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The account changed meanwhile (its seal is the concurrency token): another first sign-in linked it, or an
            // administrator changed it. A second try goes by the link as it is now.
            return new SignInResult(SignInOutcome.Invalid);
        }
        return new SignInResult(SignInOutcome.Success,
            new Principal(user.Username, (Role)user.Roles, user.AgencyId, user.Id, EmployeeId: user.EmployeeId, DisplayName: user.DisplayName));
    }

    /// <summary>
    /// The account of the employee the provider names, by NIP, else by verified e-mail; null when none, when the two name
    /// different employees, or when the account is linked to another provider account already (recorded: it may be an attack).
    /// </summary>
    private async Task<UserRecord?> MatchAsync(SegelDbContext db, ProviderIdentity identity, string link, string? origin, CancellationToken cancellationToken)
    {
        string? nip = identity.Nip?.Trim() is { Length: > 0 and <= 32 } n ? n : null;
        string? email = identity.Email?.Trim().ToLowerInvariant() is { Length: > 0 and <= MaxPart } e && (identity.EmailVerified || !_requireVerifiedEmail) ? e : null;
        if (nip is null && email is null)
        {
            return null;
        }
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), which takes no culture (addresses are ASCII)
        List<long> employees = await db.Employees.AsNoTracking()
            .Where(x => (nip != null && x.Nip == nip) || (email != null && x.Email.ToLower() == email))
            .Select(x => x.Id).Take(3).ToListAsync(cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        if (employees.Count != 1)
        {
            return null; // nobody, or the NIP and the e-mail name two different people: which one is not ours to guess
        }
        long employeeId = employees[0];
        UserRecord? user = await db.Users.SingleOrDefaultAsync(u => u.EmployeeId == employeeId, cancellationToken);
        if (user?.ProviderSubject is not null && user.ProviderSubject != link)
        {
            AuditLog.Record(db, _time, new Actor(user.Username, origin), "user.provider-sign-in-refused", user.Username,
                new { issuer = identity.Issuer, subject = identity.Subject, reason = "linked to another provider account" });
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        return user;
    }

    /// <summary>Segel's own authenticator code, through the same lockout as a password sign-in; null when it is accepted.</summary>
    private async Task<SignInResult?> CheckCodeAsync(SegelDbContext db, UserRecord user, string? code, Actor actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return new SignInResult(SignInOutcome.SecondFactorRequired); // ask for it; not a failure
        }
        if (code.Length > 10)
        {
            return new SignInResult(SignInOutcome.SecondFactorRequired);
        }
        if (await _users.Guard.ClaimAsync(user.Username, now, cancellationToken) is { } lockedUntil)
        {
            return new SignInResult(SignInOutcome.Locked, LockedUntil: lockedUntil);
        }
        if (!await _users.CodeAcceptedAsync(db, user, code, now, cancellationToken))
        {
            bool locking = await _users.Guard.FailAsync(user.Username, now, cancellationToken);
            AuditLog.Record(db, _time, actor, locking ? "user.locked" : "user.sign-in-failed", user.Username, new { secondFactor = true, via = "provider" });
            await db.SaveChangesAsync(cancellationToken);
            return locking ? new SignInResult(SignInOutcome.Locked, LockedUntil: now + UserAccounts.LockoutDuration) : new SignInResult(SignInOutcome.SecondFactorRequired);
        }
        return await _users.Guard.SucceedAsync(user.Username, now, cancellationToken)
            ? null
            : new SignInResult(SignInOutcome.Locked, LockedUntil: now + UserAccounts.LockoutDuration);
    }
}
