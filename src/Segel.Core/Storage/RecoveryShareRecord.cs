namespace Segel.Core.Storage;

/// <summary>One RA officer's share of a recovery key's secret, enveloped (CMS) to the officer's certificate. Sealed.</summary>
internal sealed class RecoveryShareRecord : ISealedRow
{
    public string SealTable => "recovery_shares";

    public string SealKind => "recovery-share";

    public string SealKey => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool KeyFromStore => true;

    public void WriteSealed(SealWriter writer)
    {
        writer.Add(Id);
        writer.Add(RecoveryKeyId);
        writer.Add(EmployeeId);
        writer.Add(CertificateId);
        writer.Add(Point);
        writer.Add(Envelope);
    }

    public byte[]? Seal { get; set; }

    public long Id { get; set; }

    public long RecoveryKeyId { get; set; }

    /// <summary>The officer who holds it.</summary>
    public long EmployeeId { get; set; }

    /// <summary>The officer's certificate the share is enveloped to; the key Segel keeps for it opens the share.</summary>
    public long CertificateId { get; set; }

    /// <summary>The share's point x (1–255): a share file for <c>gfcombine</c> is named <c>stem.NNN</c> after it.</summary>
    public int Point { get; set; }

    /// <summary>CMS EnvelopedData of the share's values, to the officer's certificate.</summary>
    public required byte[] Envelope { get; set; }
}
