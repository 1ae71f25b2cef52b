namespace Segel.Core.Storage;

/// <summary>
/// Failed sign-ins counted for one username, whether or not an account has it, so that an unknown name is answered
/// exactly as a real one (locked after the same number of failures). Keyed by a keyed hash of the name: a password
/// typed into the username field is never kept.
/// </summary>
internal sealed class SignInGuardRecord
{
    /// <summary>Hex of HMAC-SHA256 of the lower-case username under a key derived from the master key.</summary>
    public required string NameKey { get; set; }

    /// <summary>Attempts claimed and not yet proven right; a claim is taken before the secret is checked.</summary>
    public int Failures { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset LastAt { get; set; }
}
