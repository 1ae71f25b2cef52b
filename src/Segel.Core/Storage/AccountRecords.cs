namespace Segel.Core.Storage;

/// <summary>Someone who signs in to Segel. Secrets are stored only as an Argon2id hash and a sealed TOTP key.</summary>
internal sealed class UserRecord : ISealedRow
{
    public string SealTable => "users";

    public string SealKind => "user";

    public string SealKey => Username;

    /// <summary>Who the account is, what it may do, and what proves it: a changed role or password hash is a changed account.</summary>
    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Username);
        writer.Add(Roles);
        writer.Add(AgencyId);
        writer.Add(EmployeeId);
        writer.Add(PasswordHash);
        writer.Add(TotpSecretSealed);
        writer.Add(Disabled);
        if (ProviderSubject is not null)
        {
            writer.Add(ProviderSubject); // only once linked: accounts sealed before sign-on existed keep their seal
        }
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    /// <summary>Lower case; unique.</summary>
    public required string Username { get; set; }

    public required string DisplayName { get; set; }

    /// <summary><see cref="Kernel.Role"/> flags.</summary>
    public int Roles { get; set; }

    /// <summary>For agency heads: the only agency they act for.</summary>
    public int? AgencyId { get; set; }

    /// <summary>The employee this person is (holders and RA officers): links a sign-in to certificates and keys.</summary>
    public long? EmployeeId { get; set; }

    public required string PasswordHash { get; set; }

    /// <summary>The TOTP key, sealed like personal data; null until enrolled.</summary>
    public byte[]? TotpSecretSealed { get; set; }

    /// <summary>The last TOTP time step accepted, so a code is never accepted twice.</summary>
    public long TotpLastStep { get; set; }

    public bool Disabled { get; set; }

    /// <summary>
    /// The identity provider's account this one is linked to, "issuer subject", set at the first sign-in through the
    /// provider; unique. Sealed: a link edited in the database would let someone else's provider account in.
    /// </summary>
    public string? ProviderSubject { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A single-use link to set the first password of an account Segel made for a holder (issue 19.8, 20.1): only its
/// SHA-256 is stored. Sealed, so an invitation inserted behind Segel's back opens no account; marking it used is a
/// conditional update outside the seal (an invitation cleared back to unused still finds the password set).
/// </summary>
internal sealed class InvitationRecord : ISealedRow
{
    public string SealTable => "invitations";

    public string SealKind => "invitation";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(UserId);
        writer.Add(TokenHash);
        writer.Add(ExpiresAt);
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    public long UserId { get; set; }

    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>A token an integrating application presents. Only its SHA-256 is stored; the token is shown once.</summary>
internal sealed class ApiTokenRecord
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required byte[] TokenHash { get; set; }

    /// <summary>Space-separated scopes, e.g. <c>certificates:read sign</c>.</summary>
    public required string Scopes { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The institutional seal a <c>seal:sign</c> token seals with (issue 23.2); null for every other token.</summary>
    public long? SealId { get; set; }

    /// <summary>Space-separated networks (CIDR) a seal token is accepted from; required with <see cref="SealId"/>.</summary>
    public string? Networks { get; set; }
}
