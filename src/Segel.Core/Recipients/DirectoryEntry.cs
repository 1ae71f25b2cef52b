using System.Security.Cryptography;

namespace Segel.Core.Recipients;

/// <summary>
/// What the LDAP directory should hold for one employee: the name and e-mail addresses mail clients search by, and every
/// certificate of theirs that is valid now. An employee with none has no entry.
/// </summary>
internal sealed record DirectoryEntry(long EmployeeId, string Name, IReadOnlyList<string> Emails, IReadOnlyList<byte[]> Certificates)
{
    /// <summary>
    /// The entry's RDN value: Segel's own number for the employee, not the NIP (whose first eight digits are a date of
    /// birth) nor the e-mail address (which changes).
    /// </summary>
    public string Uid => UidOf(EmployeeId);

    public static string UidOf(long employeeId) => FormattableString.Invariant($"segel-{employeeId}");

    public static long? EmployeeOf(string uid) =>
        uid.StartsWith("segel-", StringComparison.Ordinal) && long.TryParse(uid.AsSpan(6), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out long id) ? id : null;

    /// <summary>The surname LDAP's person class requires: the last word of the name (Indonesian names often have one word, then it is the name).</summary>
    public string Surname => Name.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } words ? words[^1] : Name;

    /// <summary>Whether <paramref name="other"/> holds the same name, addresses and certificates, in any order.</summary>
    public bool SameAs(DirectoryEntry? other) =>
        other is not null && other.Name == Name &&
        new HashSet<string>(Emails, StringComparer.OrdinalIgnoreCase).SetEquals(other.Emails) &&
        Fingerprints(Certificates).SetEquals(Fingerprints(other.Certificates));

    private static HashSet<string> Fingerprints(IEnumerable<byte[]> certificates) =>
        [.. certificates.Select(c => Convert.ToHexString(SHA256.HashData(c)))];
}
