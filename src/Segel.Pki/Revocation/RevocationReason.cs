namespace Segel.Pki.Revocation;

/// <summary>
/// RFC 5280 §5.3.1 reason codes Segel accepts. certificateHold (6) and removeFromCRL (8) are left out on
/// purpose: a revoked certificate can never become valid again (Pasal 17(3)).
/// </summary>
public enum RevocationReason
{
    Unspecified = 0,
    KeyCompromise = 1,
    CaCompromise = 2,
    AffiliationChanged = 3,
    Superseded = 4,
    CessationOfOperation = 5,
    PrivilegeWithdrawn = 9,
    AaCompromise = 10,
}

public static class RevocationReasons
{
    /// <summary>The RFC's own spelling, e.g. <c>keyCompromise</c>.</summary>
    public static string ToRfcName(this RevocationReason reason)
    {
        string name = reason.ToString();
        return reason == RevocationReason.CaCompromise ? "cACompromise"
            : reason == RevocationReason.AaCompromise ? "aACompromise"
            : char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>Accepts the RFC name in any case, with or without dashes or underscores, or the numeric code.</summary>
    public static bool TryParse(string? text, out RevocationReason reason)
    {
        string clean = (text ?? "").Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        foreach (RevocationReason candidate in Enum.GetValues<RevocationReason>())
        {
            if (string.Equals(candidate.ToString(), clean, StringComparison.OrdinalIgnoreCase) ||
                clean == ((int)candidate).ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                reason = candidate;
                return true;
            }
        }
        reason = default;
        return false;
    }

    public static string AllowedNames => string.Join(", ", Enum.GetValues<RevocationReason>().Select(r => r.ToRfcName()));
}
