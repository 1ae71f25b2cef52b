using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Kernel;

/// <summary>Why a certificate is applied for (Pasal 9, 15(4), 15(5)).</summary>
public enum EnrollmentKind
{
    New = 0,
    Renewal = 1,
    /// <summary>After the key was lost, damaged or became inaccessible; needs the superior's statement.</summary>
    Reissue = 2,
}

public enum EnrollmentState
{
    /// <summary>Being prepared: documents, the holder's confirmation. National status NEW.</summary>
    Draft = 0,
    /// <summary>Sent to the RA. National status WAITING_FOR_VERIFICATION.</summary>
    Submitted = 1,
    /// <summary>Sent back with a reason; the agency may fix it and submit again.</summary>
    Rejected = 2,
    /// <summary>The certificate was issued.</summary>
    Approved = 3,
    /// <summary>Withdrawn by the agency before a decision.</summary>
    Cancelled = 4,
}

/// <summary>Documents an application or request carries (Pasal 14 a–e, 15(4), 17).</summary>
public enum DocumentKind
{
    RequestLetter = 0,
    RecommendationLetter = 1,
    RegistrationForm = 2,
    IdCard = 3,
    AppointmentDecree = 4,
    SuperiorStatement = 5,
    RevocationLetter = 6,
}

public enum RevocationRequestState
{
    /// <summary>Waiting for an RA officer (agency requests).</summary>
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    /// <summary>Revoked at once (suspected compromise, sanction); the RA reviews afterwards.</summary>
    Effective = 3,
    /// <summary>An effective revocation the RA has reviewed.</summary>
    Reviewed = 4,
    /// <summary>
    /// Opened by a personnel import that moved, retired or lost an employee (Pasal 17): waits for the former agency's head
    /// to send it with the signed letter (then pending), or for the RA to reject it.
    /// </summary>
    Proposed = 5,
}

/// <summary>Where an employee stands in the civil service, as the personnel file says (issue 20.3).</summary>
public enum EmploymentStatus
{
    Active = 0,
    Retired = 1,
    Deceased = 2,
    Dismissed = 3,
}

/// <summary>The words the API uses for the lifecycle's enums: kebab-case, stable, independent of C# names.</summary>
public static class LifecycleTerms
{
    public static string ToName(this EnrollmentKind kind) => kind switch
    {
        EnrollmentKind.Renewal => "renewal",
        EnrollmentKind.Reissue => "reissue",
        _ => "new",
    };

    public static string ToName(this EnrollmentState state) => state switch
    {
        EnrollmentState.Draft => "draft",
        EnrollmentState.Submitted => "submitted",
        EnrollmentState.Rejected => "rejected",
        EnrollmentState.Approved => "approved",
        _ => "cancelled",
    };

    public static string ToName(this DocumentKind kind) => kind switch
    {
        DocumentKind.RequestLetter => "request-letter",
        DocumentKind.RecommendationLetter => "recommendation-letter",
        DocumentKind.RegistrationForm => "registration-form",
        DocumentKind.IdCard => "id-card",
        DocumentKind.AppointmentDecree => "appointment-decree",
        DocumentKind.SuperiorStatement => "superior-statement",
        _ => "revocation-letter",
    };

    public static string ToName(this RevocationRequestState state) => state switch
    {
        RevocationRequestState.Pending => "pending",
        RevocationRequestState.Approved => "approved",
        RevocationRequestState.Rejected => "rejected",
        RevocationRequestState.Effective => "effective",
        RevocationRequestState.Proposed => "proposed",
        _ => "reviewed",
    };

    public static string ToName(this EmploymentStatus status) => status switch
    {
        EmploymentStatus.Retired => "retired",
        EmploymentStatus.Deceased => "deceased",
        EmploymentStatus.Dismissed => "dismissed",
        _ => "active",
    };

    public static EnrollmentKind ParseKind(string? text) => Parse(text, "kind", Enum.GetValues<EnrollmentKind>(), k => k.ToName(), EnrollmentKind.New);

    public static EnrollmentState ParseState(string? text) => Parse<EnrollmentState>(text, "state", Enum.GetValues<EnrollmentState>(), s => s.ToName(), null);

    public static DocumentKind ParseDocument(string? text) => Parse<DocumentKind>(text, "kind", Enum.GetValues<DocumentKind>(), k => k.ToName(), null);

    public static RevocationRequestState ParseRequestState(string? text) =>
        Parse<RevocationRequestState>(text, "state", Enum.GetValues<RevocationRequestState>(), s => s.ToName(), null);

    private static T Parse<T>(string? text, string field, T[] values, Func<T, string> name, T? fallback) where T : struct
    {
        if (string.IsNullOrWhiteSpace(text) && fallback is T value)
        {
            return value;
        }
        string wanted = (text ?? "").Trim().ToLowerInvariant();
        foreach (T candidate in values)
        {
            if (name(candidate) == wanted)
            {
                return candidate;
            }
        }
        throw SegelException.Invalid(field, Localized.Of("Error.UnknownValue", field, text, string.Join(", ", values.Select(name))));
    }
}
