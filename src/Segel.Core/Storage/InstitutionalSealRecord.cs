namespace Segel.Core.Storage;

/// <summary>Where an institutional seal's application stands.</summary>
internal enum SealState
{
    Applied = 0,
    Approved = 1,
    Rejected = 2,
}

/// <summary>
/// An institution's electronic seal (issue 23.2): an agency's, or one of its applications', applied for by the agency head and
/// decided by the RA; its key kept by Segel sealed under the master key (no passphrase: the policy is the API token's seal
/// binding and network allow-list). Sealed: a key, agency or certificate swapped in the database would let one agency seal
/// in another's name.
/// </summary>
internal sealed class InstitutionalSealRecord : ISealedRow
{
    public string SealTable => "institutional_seals";

    public string SealKind => "institutional-seal";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(AgencyId);
        writer.Add(Name);
        writer.Add(Purpose);
        writer.Add((long)State);
        writer.Add(AppliedBy);
        writer.Add(AppliedAt);
        writer.Add(Algorithm);
        writer.Add(PublicKey);
        writer.Add(SealedPrivateKey);
        writer.Add(DecidedBy);
        writer.Add(DecidedAt);
        writer.Add(RejectionReason);
        writer.Add(CertificateId);
        writer.Add(KeyDestroyedAt);
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    public int AgencyId { get; set; }

    /// <summary>What the seal is called in its certificate's common name, e.g. "Sistem e-Surat Dinas Kesehatan".</summary>
    public required string Name { get; set; }

    /// <summary>What the agency head said it is for (which application, which documents).</summary>
    public required string Purpose { get; set; }

    public SealState State { get; set; }

    public required string AppliedBy { get; set; }

    public DateTimeOffset AppliedAt { get; set; }

    public required string Algorithm { get; set; }

    /// <summary>SubjectPublicKeyInfo, DER.</summary>
    public required byte[] PublicKey { get; set; }

    /// <summary>The PKCS#8, sealed under a key from the master key and bound to this public key; empty once destroyed.</summary>
    public required byte[] SealedPrivateKey { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? RejectionReason { get; set; }

    public long? CertificateId { get; set; }

    /// <summary>When the key was destroyed: at rejection, or once its certificate was revoked or expired (Pasal 19(g)).</summary>
    public DateTimeOffset? KeyDestroyedAt { get; set; }
}
