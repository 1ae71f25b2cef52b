namespace Segel.Core.Storage;

/// <summary>
/// An employee whose certificates changed (one was issued or revoked), written in the transaction of that change and
/// published to the LDAP directory afterwards: a revocation is never left in the directory by a crash after its commit,
/// and nothing is published for an issuance that rolled back. Claimed by one node at a time like the mail outbox.
/// </summary>
internal sealed class DirectoryChangeRecord
{
    public long Id { get; set; }

    public long EmployeeId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    public Guid? ClaimToken { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>Notes, in the caller's transaction, that <paramref name="employeeId"/>'s certificates changed.</summary>
    public static void Note(SegelDbContext db, long employeeId, DateTimeOffset now) =>
        db.DirectoryChanges.Add(new DirectoryChangeRecord { EmployeeId = employeeId, CreatedAt = now });
}
