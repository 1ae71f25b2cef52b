namespace Segel.Core.Storage;

/// <summary>A certificate Segel issued. Revocation fields, once set, are never cleared (Pasal 17(3)).</summary>
internal sealed class CertificateRecord
{
    public long Id { get; set; }

    public int IssuerId { get; set; }

    /// <summary>Upper-case hex without sign padding; unique per issuer (a database constraint).</summary>
    public required string SerialHex { get; set; }

    public required string Profile { get; set; }

    public required string SubjectDn { get; set; }

    public required string CommonName { get; set; }

    public string? Email { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public required byte[] Der { get; set; }

    /// <summary>The employee it was issued to through an application; null for certificates issued directly by an operator.</summary>
    public long? EmployeeId { get; set; }

    /// <summary>
    /// For a holder's separate encryption certificate (profile <c>encryption</c>, issue 23.5): the signing certificate issued
    /// with it. Revoking that one revokes this one in the same transaction.
    /// </summary>
    public long? PairedCertificateId { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>RFC 5280 reason code.</summary>
    public int? RevocationReason { get; set; }

    /// <summary>
    /// Common name, e-mail and serial folded for search (<see cref="SearchText.Fold"/>), set by the context on every save;
    /// on SQLite a trigram index (<c>certificates_search</c>) follows it through triggers, on PostgreSQL a pg_trgm index.
    /// </summary>
    public string SearchText { get; set; } = "";
}
