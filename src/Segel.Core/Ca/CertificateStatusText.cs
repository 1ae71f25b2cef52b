using Segel.Core.Errors;
using Segel.Core.Storage;
using Segel.Pki.Certificates;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>Words every door (CLI, API, UI) uses the same way for a certificate's state and a holder's profile.</summary>
public static class CertificateStatusText
{
    /// <summary><c>revoked</c>, <c>expired</c> or <c>valid</c> at <paramref name="now"/>.</summary>
    internal static string StatusAt(this CertificateRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.RevokedAt is not null ? "revoked" : record.NotAfter <= now ? "expired" : "valid";
    }

    /// <summary>A holder's profile by name; empty means subscriber. An encryption certificate is never asked for alone: it comes with its pair.</summary>
    public static CertificateProfile ParseHolderProfile(string? name, string field = "profile") =>
        string.IsNullOrWhiteSpace(name) ? CertificateProfile.Subscriber
        : CertificateProfiles.TryParse(name, out CertificateProfile profile) && profile != CertificateProfile.Encryption ? profile
        : throw SegelException.Invalid(field, Localized.Of("Error.UnknownProfileUseSubscriberRa", name));
}
