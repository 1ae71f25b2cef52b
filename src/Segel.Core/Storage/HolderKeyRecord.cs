namespace Segel.Core.Storage;

/// <summary>
/// A holder's key pair kept by Segel: the private key sealed under a key derived from the holder's
/// passphrase (Argon2id, parameters stored here) and the server's master key together.
/// </summary>
internal sealed class HolderKeyRecord : ISealedRow
{
    public string SealTable => "holder_keys";

    public string SealKind => "holder-key";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    /// <summary>
    /// Whose key it is, the sealed key itself, and whether it is locked; not <see cref="FailedAttempts"/>, which
    /// moves by conditional updates in the database (see <c>HolderKeyVault</c>) and whose every step is in the
    /// audit chain. A lock lifted behind Segel's back breaks the seal.
    /// </summary>
    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(EmployeeId);
        writer.Add(Algorithm);
        writer.Add(PublicKey);
        writer.Add(SealedPrivateKey);
        writer.Add(Kdf);
        writer.Add(LockedAt);
        writer.Add(CreatedAt);
        writer.Add(CertificateId);
        writer.Add(CodeSealedPrivateKey);
        if (Escrow is not null)
        {
            writer.Add(Escrow); // only when escrowed: keys sealed before escrows existed keep their seal
            writer.Add(RecoveryKeyId);
        }
        if (DestroyedAt is not null)
        {
            writer.Add(DestroyedAt); // only once destroyed: keys sealed before destruction existed keep their seal
        }
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    public long EmployeeId { get; set; }

    public required string Algorithm { get; set; }

    /// <summary>SubjectPublicKeyInfo, DER.</summary>
    public required byte[] PublicKey { get; set; }

    /// <summary>nonce ‖ tag ‖ AES-256-GCM(PKCS#8).</summary>
    public required byte[] SealedPrivateKey { get; set; }

    /// <summary>KDF name and parameters, e.g. <c>argon2id;m=65536;t=3;p=2;salt=BASE64</c>.</summary>
    public required string Kdf { get; set; }

    public int FailedAttempts { get; set; }

    public DateTimeOffset? LockedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the private key was destroyed (Pasal 19(g)): the sealed bytes are gone, only the public key stays.</summary>
    public DateTimeOffset? DestroyedAt { get; set; }

    /// <summary>Set when a certificate is issued for this key.</summary>
    public long? CertificateId { get; set; }

    /// <summary>
    /// A second sealed copy for signing with an e-mailed one-time code instead of the passphrase, made only when the
    /// holder turns that on with their passphrase; sealed under a key derived from the master key alone. Null when off.
    /// </summary>
    public byte[]? CodeSealedPrivateKey { get; set; }

    /// <summary>
    /// An encryption key's escrow (issue 23.5): the PKCS#8 as CMS EnvelopedData to the recovery key <see cref="RecoveryKeyId"/>,
    /// which only enough RA officers together can open. Null for signing keys, which are never escrowed; wiped with the key.
    /// </summary>
    public byte[]? Escrow { get; set; }

    public long? RecoveryKeyId { get; set; }
}
