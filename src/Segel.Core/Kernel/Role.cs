namespace Segel.Core.Kernel;

/// <summary>What a person may do in Segel (glossary in the regulation notes). A user may hold several.</summary>
[Flags]
public enum Role
{
    None = 0,
    /// <summary>Runs the system: users, agencies, settings.</summary>
    Admin = 1,
    /// <summary>The KKSE: certificate policy and which applications may use certificates.</summary>
    PolicyAdmin = 2,
    /// <summary>Verifies, approves or rejects applications and revocations (Pasal 16).</summary>
    RaOfficer = 4,
    /// <summary>Head of an agency: applies and requests revocation for their own agency's staff only.</summary>
    AgencyHead = 8,
    /// <summary>A certificate holder.</summary>
    Subscriber = 16,
    /// <summary>Reads everything, changes nothing.</summary>
    Auditor = 32,
}

public static class Roles
{
    /// <summary>Roles whose sign-in needs a second factor (TOTP) besides the password.</summary>
    public const Role NeedSecondFactor = Role.Admin | Role.PolicyAdmin | Role.RaOfficer;

    public static bool TryParse(string? text, out Role role)
    {
        role = Role.None;
        foreach (string part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string clean = part.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            if (!Enum.TryParse(clean, ignoreCase: true, out Role one) || one == Role.None || !Enum.IsDefined(one))
            {
                return false;
            }
            role |= one;
        }
        return role != Role.None;
    }

    public static string Names => "admin, policy-admin, ra-officer, agency-head, subscriber, auditor";
}
