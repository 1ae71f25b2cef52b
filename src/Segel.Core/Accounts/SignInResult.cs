using Segel.Core.Kernel;

namespace Segel.Core.Accounts;

public enum SignInOutcome
{
    Success,
    /// <summary>Wrong username or password; which of the two is never said.</summary>
    Invalid,
    /// <summary>The password was right but the role needs a TOTP code, and none (or a wrong or reused one) was given.</summary>
    SecondFactorRequired,
    Locked,
    Disabled,
    /// <summary>Signed in at the identity provider, but its account matches no Segel account (or one linked to another provider account).</summary>
    NotLinked,
}

public sealed record SignInResult(SignInOutcome Outcome, Principal? Principal = null, DateTimeOffset? LockedUntil = null);
