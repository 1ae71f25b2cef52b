using System.Globalization;
using System.Security.Cryptography;

namespace Segel.Core.Storage;

/// <summary>
/// A row whose security-relevant fields carry a seal (<see cref="AuditChain.SealRow"/>), set by
/// <see cref="SegelDbContext"/> whenever Segel adds or changes the row. A row edited or inserted behind Segel's back
/// fails its seal: <c>segel audit verify</c> names it, and the services that act on it refuse (issue 17).
/// </summary>
internal interface ISealedRow
{
    byte[]? Seal { get; set; }

    /// <summary>The table, part of what is sealed, so a row's seal is no good in another table.</summary>
    string SealTable { get; }

    /// <summary>What kind of record it is, one word a message can translate: employee, user, setting.</summary>
    string SealKind { get; }

    /// <summary>How a reader knows the row: an NIP, a username, a setting's key.</summary>
    string SealKey { get; }

    /// <summary>
    /// The fields that matter, each written once, in a fixed order. A row known by a number the database gives it
    /// (<see cref="KeyFromStore"/>) writes that number too, so no two rows can swap their sealed contents.
    /// </summary>
    void WriteSealed(SealWriter writer);

    /// <summary>
    /// True when the row's key is the number the database gives it on insert: such a row is sealed in a second
    /// write right after the insert, inside the same transaction, once the number is known.
    /// </summary>
    bool KeyFromStore => false;
}

internal static class SealedRows
{
    /// <summary>The row as reports name it: "employee 1985…", "user rahmat".</summary>
    public static string Subject(this ISealedRow row) => $"{row.SealKind} {row.SealKey}";
}

/// <summary>Writes a row's fields into its seal, each length-prefixed as the audit chain writes its records.</summary>
internal readonly struct SealWriter(IncrementalHash hmac)
{
    public void Add(string? value) => AuditChain.Append(hmac, value);

    public void Add(long? value) => Add(value?.ToString(CultureInfo.InvariantCulture));

    public void Add(bool value) => Add(value ? "1" : "0");

    public void Add(byte[]? value) => Add(value is null ? null : Convert.ToBase64String(value));

    /// <summary>
    /// In whole milliseconds since 1970, UTC: what both databases keep of a time (PostgreSQL truncates to microseconds
    /// and drops the offset; SQLite stores it as a 64-bit number of 100-microsecond steps), so a time read back seals
    /// as it was written on either.
    /// </summary>
    public void Add(DateTimeOffset? value) => Add(value?.ToUnixTimeMilliseconds());
}

/// <summary>
/// Tells the administrators of a record found changed behind Segel's back (e-mail, through the outbox), in the alarm's own unit of
/// work. Set once where the core is wired; a database without it (a tool, a test) raises the alarm without mail.
/// </summary>
internal interface ISealBreachNotice
{
    /// <summary>Queues the notice in <paramref name="db"/>; it goes out when that unit commits.</summary>
    Task QueueAsync(SegelDbContext db, string kind, string key, string action, CancellationToken cancellationToken);

    /// <summary>After the commit: deliver now rather than at the next poll.</summary>
    void Queued();
}
