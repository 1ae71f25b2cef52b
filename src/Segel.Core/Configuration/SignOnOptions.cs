namespace Segel.Core.Configuration;

/// <summary>
/// Sign-in through the regency's OpenID Connect identity provider (section <c>SignOn</c>). Unset <see cref="Authority"/>:
/// only password sign-in. Either way the roles are Segel's: the provider says who someone is, never what they may do.
/// </summary>
public sealed class SignOnOptions
{
    /// <summary>The provider's issuer URL (its discovery document is at <c>/.well-known/openid-configuration</c> under it).</summary>
    public string? Authority { get; set; }

    /// <summary>Segel's client identifier at the provider; register <c>{PublicBaseUrl}/signin-oidc</c> as its redirect URI.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret. Prefer <see cref="ClientSecretFile"/> or the <c>SEGEL_SignOn__ClientSecret</c> environment variable.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A file (mode 0600) holding the client secret on its first line.</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>What the sign-in page's button calls the provider ("Masuk dengan …").</summary>
    public string DisplayName { get; set; } = "SSO Pemkab";

    /// <summary>Scopes asked for; <c>openid</c> is always asked. Add the one that releases <see cref="NipClaim"/>, if the provider has one.</summary>
    public string[]? Scopes { get; set; }

    /// <summary>The claim (ID token or userinfo) that carries the employee's NIP; matched before the e-mail.</summary>
    public string NipClaim { get; set; } = "nip";

    /// <summary>
    /// Match by e-mail only when the provider says it verified the address (<c>email_verified</c>). Turn off only for a
    /// provider that hands out official addresses itself and never sends the claim.
    /// </summary>
    public bool RequireVerifiedEmail { get; set; } = true;

    /// <summary>
    /// <c>amr</c> values (RFC 8176) that count as the second factor RA officers and administrators need; when the provider
    /// asserts one, Segel does not ask for its own authenticator code.
    /// </summary>
    public string[]? SecondFactorMethods { get; set; }

    /// <summary>Off: officers and administrators always give Segel's own authenticator code, whatever the provider asserts.</summary>
    public bool TrustSecondFactor { get; set; } = true;

    /// <summary>Fetch the provider's metadata over HTTPS only. Turn off only for a provider on loopback (tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>
    /// The methods that count as a second factor: none when it is not trusted, else those set, else multiple-factor,
    /// one-time password, hardware key and smart card.
    /// </summary>
    public IReadOnlyList<string> EffectiveSecondFactorMethods() =>
        !TrustSecondFactor ? []
        : SecondFactorMethods is { Length: > 0 } set ? [.. set.Select(m => m.Trim()).Where(m => m.Length > 0)]
        : ["mfa", "otp", "hwk", "sc"];
}
