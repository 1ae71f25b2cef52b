namespace Segel.Core.Settings;

/// <summary>
/// The settings a regency changes while Segel runs: the e-mail domains official addresses must be on (Pasal 14(f))
/// the days before expiry on which holders are reminded to renew (Pasal 18), and the national CA's contact address
/// complaints about RA officers are forwarded to (Pasal 16(6)). Each says whether it comes from
/// segel.json (or the default) or was changed in the portal or API, and by whom.
/// </summary>
public sealed record RegencySettings(
    IReadOnlyList<string> EmailDomains,
    IReadOnlyList<int> ReminderDays,
    SettingOrigin EmailDomainsOrigin,
    SettingOrigin ReminderDaysOrigin,
    string? NationalCaEmail = null,
    SettingOrigin? NationalCaEmailOrigin = null)
{
    /// <summary>Whether an (already well-formed) address is on one of the official domains (Pasal 14(f)).</summary>
    public bool IsOfficial(string email) => EmailDomains.Any(d => (email ?? "").EndsWith("@" + d, StringComparison.OrdinalIgnoreCase));

    /// <summary>The official domains as a reader sees them in a message: "@a, @b".</summary>
    public string DomainList => string.Join(", ", EmailDomains.Select(d => "@" + d));
}

/// <summary>Where a setting's value comes from: <see cref="ChangedBy"/> is null when it is segel.json's or the default.</summary>
public sealed record SettingOrigin(string? ChangedBy, DateTimeOffset? ChangedAt)
{
    public static readonly SettingOrigin File = new(null, null);

    public bool FromFile => ChangedBy is null;
}
