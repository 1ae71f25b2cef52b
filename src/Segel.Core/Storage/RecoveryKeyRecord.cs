namespace Segel.Core.Storage;

/// <summary>
/// A key-recovery key (issue 23.5): its self-signed certificate, to which encryption keys are escrowed, and its private key
/// encrypted under a secret split among RA officers (<see cref="RecoveryShareRecord"/>). Sealed: a certificate swapped in
/// the database would send every later escrow to whoever holds the swapped-in key. One is current; a retired one is kept,
/// since escrows made to it still need it.
/// </summary>
internal sealed class RecoveryKeyRecord : ISealedRow
{
    public string SealTable => "recovery_keys";

    public string SealKind => "recovery-key";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(CertificateDer);
        writer.Add(EncryptedPrivateKey);
        writer.Add(Threshold);
        writer.Add(CreatedAt);
        writer.Add(RetiredAt);
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    /// <summary>The recovery key's self-signed certificate, DER: escrows are enveloped to it.</summary>
    public required byte[] CertificateDer { get; set; }

    /// <summary>PKCS#8 EncryptedPrivateKeyInfo (PBES2, AES-256-CBC); the password is the split secret in hex.</summary>
    public required byte[] EncryptedPrivateKey { get; set; }

    /// <summary>How many officers' shares open it.</summary>
    public int Threshold { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a newer recovery key took its place; escrows made to it are still opened with it.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
