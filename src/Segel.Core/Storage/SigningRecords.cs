namespace Segel.Core.Storage;

/// <summary>
/// One signature made with a key Segel keeps (Pasal 21: supervision of signer data). The document itself is
/// not kept — only its hashes — so the CA never becomes an archive of official letters.
/// </summary>
internal sealed class SignatureRecord : ISealedRow
{
    public string SealTable => "signatures";

    public string SealKind => "signature";

    public string SealKey => Id;

    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(EmployeeId);
        writer.Add(CertificateId);
        writer.Add(Application);
        writer.Add(OriginalSha256);
        writer.Add(SignedSha256);
        writer.Add(SignedLength);
        writer.Add(Level);
        writer.Add(Unlock);
        writer.Add(SignedAt);
        writer.Add(DocumentName);
        if (SealId is not null)
        {
            writer.Add(SealId); // only for a seal's signature: signatures made before seals existed keep their seal
        }
    }

    public byte[]? Seal { get; set; }

    /// <summary>A random, unguessable identifier: it is the path of the public verification page (/verify/{id}) in the QR code.</summary>
    public required string Id { get; set; }

    /// <summary>The holder who signed; null for an institution's seal (<see cref="SealId"/>).</summary>
    public long? EmployeeId { get; set; }

    /// <summary>The institutional seal it was made with (issue 23.2); null for a person's signature.</summary>
    public long? SealId { get; set; }

    public long CertificateId { get; set; }

    /// <summary>Who asked for it: the integrating application (api:NAME) or the holder signed in (user:…).</summary>
    public required string Application { get; set; }

    /// <summary>SHA-256 of the PDF as it was given.</summary>
    public required byte[] OriginalSha256 { get; set; }

    /// <summary>SHA-256 of the signed PDF as it was returned.</summary>
    public required byte[] SignedSha256 { get; set; }

    public long SignedLength { get; set; }

    /// <summary>PAdES level, e.g. B-LT.</summary>
    public required string Level { get; set; }

    /// <summary>How the holder unlocked the key: passphrase or code.</summary>
    public required string Unlock { get; set; }

    public DateTimeOffset SignedAt { get; set; }

    /// <summary>The file name the caller gave, if any (not personal data, but shown on the verification page only to the holder's application).</summary>
    public string? DocumentName { get; set; }
}

/// <summary>A one-time code e-mailed to a holder to sign without the passphrase; only its keyed hash is stored, and it works once.</summary>
internal sealed class OneTimeCodeRecord
{
    public long Id { get; set; }

    public long EmployeeId { get; set; }

    public required byte[] CodeMac { get; set; }

    /// <summary>What the application said the code is for, shown to the holder in the e-mail.</summary>
    public string? Purpose { get; set; }

    public required string RequestedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
