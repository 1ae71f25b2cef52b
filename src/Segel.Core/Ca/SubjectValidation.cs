using System.Net.Mail;
using Segel.Core.Errors;
using Segel.Texts;

namespace Segel.Core.Ca;

/// <summary>Checks what a person typed before it goes into a certificate that cannot be changed afterwards.</summary>
public static class SubjectValidation
{
    // RFC 5280 upper bounds (ub-common-name, ub-organizational-unit-name).
    private const int MaxNameLength = 64;
    private const int MaxEmailLength = 128;

    public static string Name(string? value, string field = "name")
    {
        string name = (value ?? "").Trim();
        if (name.Length == 0)
        {
            throw SegelException.Invalid(field, Localized.Of("Error.FieldRequired", field));
        }
        if (name.Length > MaxNameLength)
        {
            throw SegelException.Invalid(field, Localized.Of("Error.FieldTooLong", field, MaxNameLength));
        }
        if (name.Any(char.IsControl))
        {
            throw SegelException.Invalid(field, Localized.Of("Error.ContainsControlCharacters", field));
        }
        return name;
    }

    public static string? OptionalName(string? value, string field) => string.IsNullOrWhiteSpace(value) ? null : Name(value, field);

    public static string Email(string? value)
    {
        string email = (value ?? "").Trim();
        if (email.Length == 0)
        {
            throw SegelException.Invalid("email", Localized.Of("Error.EMailAddressRequired"));
        }
        // A SAN rfc822Name is IA5 (ASCII); internationalised addresses need a different name type.
        if (email.Length > MaxEmailLength || email.Any(c => c > 127) ||
            !MailAddress.TryCreate(email, out MailAddress? parsed) || parsed.Address != email || !parsed.Host.Contains('.', StringComparison.Ordinal))
        {
            throw SegelException.Invalid("email", Localized.Of("Error.NotValidEMailAddress", email));
        }
        return email;
    }

    /// <summary>An optional NIP, checked by the same rule as everywhere else (<see cref="IdentityNumbers"/>).</summary>
    public static string? Nip(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return IdentityNumbers.TryValidateNip(value, out string nip, out Localized? problem)
            ? nip
            : throw SegelException.Invalid("nip", Localized.Of("Error.NipNotValid", problem));
    }

    /// <summary>The most DNS names one TLS server certificate carries.</summary>
    public const int MaxHostNames = 20;

    /// <summary>
    /// A host's DNS name for a TLS server certificate, lower-case, in ASCII (an internationalised name in its
    /// <c>xn--</c> form): labels of letters, digits and hyphens (RFC 1123), at most 253 characters. No wildcards (each
    /// host is named, so a certificate never covers a host nobody listed) and no IP addresses.
    /// </summary>
    public static string HostName(string? value)
    {
        string host = (value ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        if (host.Length == 0)
        {
            throw SegelException.Invalid("host", Localized.Of("Error.HostNameRequired"));
        }
        if (host.Contains('*', StringComparison.Ordinal))
        {
            throw SegelException.Invalid("host", Localized.Of("Error.WildcardNameEachHostInstead", host));
        }
        if (System.Net.IPAddress.TryParse(host, out _))
        {
            throw SegelException.Invalid("host", Localized.Of("Error.IpAddressGiveHostDns", host));
        }
        string[] labels = host.Split('.');
        if (host.Length > 253 || labels.Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-' || !l.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')))
        {
            throw SegelException.Invalid("host", Localized.Of("Error.NotValidDnsHostName", host));
        }
        return host;
    }
}
